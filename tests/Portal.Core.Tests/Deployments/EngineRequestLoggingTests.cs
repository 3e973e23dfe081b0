using Portal.Core.Catalog;
using Portal.Core.Deployments;

namespace Portal.Core.Tests.Deployments;

public class EngineRequestLoggingTests
{
    private static ResolvedDeployment Deployment(InferenceEngine engine) => DeploymentValidator.Validate(new DeploymentSpec
    {
        Name = "support-chat",
        Model = ModelReference.FromCatalog("llama-3.1-70b-instruct"),
        Engine = engine,
        GpuType = "h100-80gb",
        GpusPerReplica = 4,
        Region = "us-east",
    }, ModelCatalog.Default, DeploymentValidationContext.Unrestricted).Deployment!;

    [Theory]
    [InlineData(InferenceEngine.Vllm)]
    [InlineData(InferenceEngine.Sglang)]
    [InlineData(InferenceEngine.TensorRtLlm)]
    public void Render_NeverTurnsOnRequestLogging(InferenceEngine engine)
    {
        var command = EngineCommandLine.Render(Deployment(engine), apiKey: "rs_secret");

        Assert.False(EngineRequestLogging.LogsRequests(command), command.ToShellString());
        Assert.DoesNotContain(command.Arguments, a => a.Contains("log-requests", StringComparison.Ordinal) || a.Contains("log-outputs", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Vllm_PassesNoDisableFlag_BecauseVllm011RemovedIt()
    {
        Assert.DoesNotContain("--disable-log-requests", EngineCommandLine.Render(Deployment(InferenceEngine.Vllm)).Arguments);
    }

    [Fact]
    public void Render_TensorRtLlm_PinsTheInfoLogLevel()
    {
        var arguments = EngineCommandLine.Render(Deployment(InferenceEngine.TensorRtLlm)).Arguments.ToList();

        Assert.Equal("info", arguments[arguments.IndexOf("--log_level") + 1]);
    }

    [Theory]
    [InlineData("--enable-log-requests")]
    [InlineData("--enable-log-outputs")]
    [InlineData("--log-requests")]
    [InlineData("--log-requests-level=2")]
    public void LogsRequests_SpotsEachTurnOnFlag(string flag)
    {
        Assert.True(EngineRequestLogging.LogsRequests(new EngineCommand("vllm", ["serve", "m", flag], new Dictionary<string, string>())));
    }

    [Fact]
    public void LogsRequests_SpotsADebugLogLevel()
    {
        Assert.True(EngineRequestLogging.LogsRequests(new EngineCommand("trtllm-serve", ["m", "--log_level", "debug"], new Dictionary<string, string>())));
    }
}
