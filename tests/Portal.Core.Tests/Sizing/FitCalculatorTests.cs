using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Core.Tests.Sizing;

/// <summary>Worked examples at the catalog defaults: 8,192 tokens of context × 16 concurrent sequences, 90 % utilisation.</summary>
public class FitCalculatorTests
{
    private static readonly ModelCatalog _catalog = ModelCatalog.Default;
    private static readonly RuntimeSettings _defaults = new();
    private static readonly GpuType _h100 = _catalog.GetGpu("h100-80gb");
    private static readonly GpuType _h200 = _catalog.GetGpu("h200-141gb");
    private static readonly GpuType _b200 = _catalog.GetGpu("b200-192gb");

    private static FitResult Check(string modelId, GpuType gpu, int gpus, RuntimeSettings? runtime = null)
    {
        var model = _catalog.GetModel(modelId);
        return FitCalculator.Check(model.DisplayName, model.Architecture, gpu, gpus, runtime ?? _defaults);
    }

    [Fact]
    public void KvBytesPerToken_Llama70BInBf16_Is320KiB() =>
        // 2 × 80 layers × 8 KV heads × 128 dims × 2 bytes
        Assert.Equal(327_680, FitCalculator.KvBytesPerToken(_catalog.GetModel("llama-3.1-70b-instruct").Architecture, KvCacheDtype.Auto));

    [Fact]
    public void KvBytesPerToken_DeepSeekV3UsesTheLatentRule() =>
        // 61 layers × (512 + 64) × 2 bytes
        Assert.Equal(70_272, FitCalculator.KvBytesPerToken(_catalog.GetModel("deepseek-v3").Architecture, KvCacheDtype.Auto));

    [Fact]
    public void WeightBytes_FollowTheBytesPerParameterTable()
    {
        var model = _catalog.GetModel("llama-3.1-8b-instruct").Architecture;

        Assert.Equal(16_060_522_496, FitCalculator.WeightBytes(model, Quantization.None));
        Assert.Equal(8_030_261_248, FitCalculator.WeightBytes(model, Quantization.Fp8));
        Assert.Equal(4_015_130_624, FitCalculator.WeightBytes(model, Quantization.Awq));
        Assert.Equal(4_015_130_624, FitCalculator.WeightBytes(model, Quantization.Fp4));
        Assert.Equal(671_000_000_000, FitCalculator.WeightBytes(_catalog.GetModel("deepseek-v3").Architecture, Quantization.None));
    }

    [Fact]
    public void Llama70BBf16_At8kContext_DoesNotFitOneOrTwoH100s_ButFitsFour()
    {
        var one = Check("llama-3.1-70b-instruct", _h100, 1);
        var two = Check("llama-3.1-70b-instruct", _h100, 2);
        var four = Check("llama-3.1-70b-instruct", _h100, 4);

        Assert.False(one.Fits);
        Assert.False(two.Fits);
        Assert.True(four.Fits);
        // weights 141.1 GB = 131.4 GiB; KV 320 KiB × 8,192 × 16 = 40 GiB; reserve 2 GiB × 2
        Assert.Equal(131.4, two.WeightsGiB, 1);
        Assert.Equal(40.0, two.KvCacheGiB, 6);
        Assert.Equal(4.0, two.ReserveGiB, 6);
        Assert.Equal(175.4, two.NeededGiB, 1);
        Assert.Equal(143.4, two.AvailableGiB, 1);
        var problem = Assert.Single(two.Problems);
        Assert.Equal(FitProblemKind.Memory, problem.Kind);
        Assert.Equal(
            "Llama 3.1 70B Instruct in bf16 needs 175.4 GiB: weights 131.4 GiB + KV cache 40.0 GiB for 16 sequences × 8,192 tokens "
            + "+ 4.0 GiB activation reserve; 2 × H100 80GB offer 143.4 GiB at 90 % memory utilisation (1 GiB = 2³⁰ bytes).",
            problem.Message);
    }

    [Fact]
    public void Llama70BFp8_FitsOneH200()
    {
        var fit = Check("llama-3.1-70b-instruct", _h200, 1, _defaults with { Quantization = Quantization.Fp8 });

        Assert.True(fit.Fits);
        Assert.Equal(65.7, fit.WeightsGiB, 1);
        Assert.Equal(107.7, fit.NeededGiB, 1);
        Assert.Equal(126.4, fit.AvailableGiB, 1);
    }

    [Fact]
    public void Llama405BOnOneH100_IsRefusedWithTheNumbers()
    {
        var fit = Check("llama-3.1-405b-instruct", _h100, 1);

        Assert.False(fit.Fits);
        Assert.Equal(
            "Llama 3.1 405B Instruct in bf16 needs 756.0 GiB for its weights alone; 1 × H100 80GB offers 71.7 GiB "
            + "at 90 % memory utilisation (1 GiB = 2³⁰ bytes).",
            Assert.Single(fit.Problems).Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(16)]
    public void TensorParallelSizeOutsideOneTwoFourEight_IsRefused(int gpus)
    {
        var fit = Check("llama-3.1-8b-instruct", _h100, gpus);

        var problem = fit.Problems.First();
        Assert.Equal(FitProblemKind.TensorParallelSize, problem.Kind);
        Assert.Equal($"{gpus} GPUs per replica is not a supported tensor-parallel size: choose 1, 2, 4 or 8.", problem.Message);
    }

    [Fact]
    public void TensorParallelSizeThatDoesNotDivideTheHeads_IsRefused()
    {
        var fit = Check("qwen2.5-7b-instruct", _h100, 8);

        Assert.Equal(
            "Qwen2.5 7B Instruct has 28 attention heads, which 8 GPUs cannot split evenly; choose 1, 2 or 4 GPUs per replica.",
            Assert.Single(fit.Problems).Message);
    }

    [Fact]
    public void Fp4_IsRefusedOnHopperAndAcceptedOnBlackwell()
    {
        var fp4 = _defaults with { Quantization = Quantization.Fp4 };

        var hopper = Check("llama-3.1-8b-instruct", _h100, 1, fp4);
        var blackwell = Check("llama-3.1-8b-instruct", _b200, 1, fp4);

        Assert.Equal("FP4 weights need a GPU with FP4 support; H100 80GB has none.", Assert.Single(hopper.Problems).Message);
        Assert.Equal(FitProblemKind.WeightPrecision, hopper.Problems[0].Kind);
        Assert.True(blackwell.Fits);
    }

    [Fact]
    public void Fp8KvCache_HalvesTheKvCache()
    {
        var auto = Check("llama-3.1-70b-instruct", _h100, 4);
        var fp8 = Check("llama-3.1-70b-instruct", _h100, 4, _defaults with { KvCacheDtype = KvCacheDtype.Fp8 });

        Assert.Equal(auto.KvCacheBytes / 2, fp8.KvCacheBytes);
    }

    [Fact]
    public void DeepSeekV3InFp8_NeedsEightH200sOrFourB200s()
    {
        // 625 GiB of fp8 weights + 8.6 GiB of latent KV cache + 2 GiB per GPU
        Assert.False(Check("deepseek-v3", _h100, 8).Fits);
        Assert.False(Check("deepseek-v3", _h200, 4).Fits);
        Assert.True(Check("deepseek-v3", _h200, 8).Fits);
        Assert.True(Check("deepseek-v3", _b200, 4).Fits);
    }
}
