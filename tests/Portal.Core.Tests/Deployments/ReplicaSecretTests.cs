using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Keys;

namespace Portal.Core.Tests.Deployments;

public class ReplicaSecretTests
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

    [Fact]
    public void New_CarriesAtLeast128RandomBitsAndNeverRepeats()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => ReplicaSecret.New()).ToList();

        Assert.All(secrets, s =>
        {
            Assert.StartsWith(ReplicaSecret.Prefix, s, StringComparison.Ordinal);
            var random = s[ReplicaSecret.Prefix.Length..];
            Assert.True(random.Length * Math.Log2(62) >= 128, $"{random.Length} base62 characters carry fewer than 128 bits.");
            Assert.All(random, c => Assert.True(Base62.IsDigit(c)));
        });
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(InferenceEngine.Vllm)]
    [InlineData(InferenceEngine.Sglang)]
    public void Render_PassesTheKeyToEnginesThatCheckOne(InferenceEngine engine)
    {
        var arguments = EngineCommandLine.Render(Deployment(engine), apiKey: "rs_secret").Arguments;

        var flag = arguments.ToList().IndexOf("--api-key");
        Assert.True(flag >= 0, "no --api-key flag");
        Assert.Equal("rs_secret", arguments[flag + 1]);
    }

    [Fact]
    public void Render_GivesTrtllmServeNoKeyFlagBecauseItHasNone()
    {
        var arguments = EngineCommandLine.Render(Deployment(InferenceEngine.TensorRtLlm), apiKey: "rs_secret").Arguments;

        Assert.DoesNotContain("--api-key", arguments);
        Assert.DoesNotContain("rs_secret", arguments);
    }

    [Fact]
    public void ShellString_NeverShowsTheKey()
    {
        var shell = EngineCommandLine.Render(Deployment(InferenceEngine.Vllm), apiKey: "rs_secret").ToShellString();

        Assert.DoesNotContain("rs_secret", shell, StringComparison.Ordinal);
        Assert.Contains("--api-key '<redacted>'", shell, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_ReplacesBothFlagSpellingsAndKeepsEverythingElse()
    {
        var command = new EngineCommand("sim", ["--port", "1", "--api-key", "rs_a", "--api-key=rs_b", "--model", "m"], new Dictionary<string, string>());

        Assert.Equal(["--port", "1", "--api-key", "<redacted>", "--api-key=<redacted>", "--model", "m"], command.Redacted().Arguments);
        Assert.Equal("rs_a", command.Arguments[3]);
    }
}
