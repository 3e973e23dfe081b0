using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Runtimes.Tests.Rendering;

public class EngineCommandLineGoldenTests
{
    [Fact]
    public void Vllm_Llama70BOnFourH100s() =>
        GoldenFile.AssertMatches("vllm-llama-3.1-70b.txt", EngineCommandLine.Render(TestDeployments.Llama70BOnFourH100s()).ToShellString());

    [Fact]
    public void Vllm_DeepSeekV3WithCutlassMlaAndFp8KvCacheOnEightB200s()
    {
        var deployment = TestDeployments.Resolve(new DeploymentSpec
        {
            Name = "deepseek",
            Model = ModelReference.FromCatalog("deepseek-v3"),
            Runtime = new RuntimeSettings
            {
                AttentionBackend = AttentionBackend.CutlassMla,
                KvCacheDtype = KvCacheDtype.Fp8,
                MaxContextLength = 32768,
                MaxConcurrentSequences = 64,
                SchedulingPolicy = SchedulingPolicy.Priority,
                ChunkedPrefill = false,
            },
            GpuType = "b200-192gb",
            GpusPerReplica = 8,
            Region = "us-central",
        });

        GoldenFile.AssertMatches("vllm-deepseek-v3.txt", EngineCommandLine.Render(deployment).ToShellString());
    }

    [Fact]
    public void Vllm_LoraAdapterOnAHuggingFaceBase() =>
        GoldenFile.AssertMatches("vllm-lora.txt", EngineCommandLine.Render(TestDeployments.Resolve(new DeploymentSpec
        {
            Name = "support-lora",
            Model = ModelReference.LoraOn("llama-3.1-8b-instruct", "acme-ai/support-adapter"),
            GpuType = "h100-80gb",
            Region = "eu-frankfurt",
        })).ToShellString());

    [Fact]
    public void Sglang_Qwen72BInFp8WithPriorityScheduling()
    {
        var deployment = TestDeployments.Resolve(new DeploymentSpec
        {
            Name = "qwen-72b",
            Model = ModelReference.FromHuggingFace("Qwen/Qwen2.5-72B-Instruct", "main", architectureOf: "qwen2.5-72b-instruct"),
            Engine = InferenceEngine.Sglang,
            Runtime = new RuntimeSettings { Quantization = Quantization.Fp8, SchedulingPolicy = SchedulingPolicy.Priority, AttentionBackend = AttentionBackend.FlashInfer },
            GpuType = "h200-141gb",
            GpusPerReplica = 2,
            Region = "jp-tokyo",
        });

        GoldenFile.AssertMatches("sglang-qwen2.5-72b.txt", EngineCommandLine.Render(deployment).ToShellString());
    }

    [Fact]
    public void TensorRtLlm_Llama70BOnFourH100s() =>
        GoldenFile.AssertMatches(
            "trtllm-llama-3.1-70b.txt",
            EngineCommandLine.Render(TestDeployments.Llama70BOnFourH100s(InferenceEngine.TensorRtLlm)).ToShellString());

    [Fact]
    public void ShellString_QuotesArgumentsThatNeedIt()
    {
        var command = new EngineCommand("vllm", ["serve", "a b", "it's"], new Dictionary<string, string> { ["X"] = "1 2" });

        Assert.Equal("X='1 2' vllm serve 'a b' 'it'\\''s'", command.ToShellString());
    }
}
