using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

public sealed class RequirementRuleTests
{
    private static MigrationSignal Signal(RequirementFacts facts) => MigrationSignals.Requirements(RequirementRule.Evaluate(facts));

    [Theory]
    [InlineData(true, null, null, null, "custom or fine-tuned weights (stated on the endpoint)")]
    [InlineData(false, "fp8", null, null, "fp8 quantization (stated on the endpoint)")]
    [InlineData(false, null, "EU", null, "residency in EU (stated on the endpoint)")]
    [InlineData(false, null, null, 64, "at least 64 concurrent requests (stated on the endpoint)")]
    public void EachStatedRequirement_FiresAndNamesItsSource(bool weights, string? quantization, string? residency, int? floor, string evidence)
    {
        var signal = Signal(new RequirementFacts { Stated = new StatedRequirements(weights, quantization, residency, floor) });

        Assert.Equal(SignalState.Fires, signal.State);
        Assert.Equal(1, signal.Value);
        Assert.Contains(evidence, signal.Evidence);
    }

    [Fact]
    public void TheEndpointsOwnLock_FiresAndIsNamedBeforeTheTenantPolicy()
    {
        var signal = Signal(new RequirementFacts
        {
            EndpointLock = new HashSet<string> { "eu-paris", "eu-frankfurt" },
            TenantPolicy = new HashSet<string> { "eu-paris", "eu-frankfurt", "us-east" },
        });

        Assert.Equal(SignalState.Fires, signal.State);
        Assert.Contains("a region lock (the endpoint's region lock (eu-frankfurt, eu-paris))", signal.Evidence);
    }

    [Fact]
    public void TheTenantPolicyAlone_Fires() =>
        Assert.Contains("the tenant's residency policy (jp-tokyo)",
            Signal(new RequirementFacts { TenantPolicy = new HashSet<string> { "jp-tokyo" } }).Evidence);

    [Fact]
    public void UpstreamRefusals_AskForConcurrencyTuning()
    {
        var signal = Signal(new RequirementFacts { UpstreamModel = "m", ProviderModels = new HashSet<string> { "m" }, UpstreamRefusals = 3 });

        Assert.Equal(SignalState.Fires, signal.State);
        Assert.Contains("concurrency tuning (the upstream refused 3 requests with 429 in the window)", signal.Evidence);
    }

    [Fact]
    public void AModelTheProviderDoesNotList_Fires()
    {
        var signal = Signal(new RequirementFacts { UpstreamModel = "acme/llama-ft", ProviderModels = new HashSet<string> { "llama-8b" } });

        Assert.Equal(SignalState.Fires, signal.State);
        Assert.Contains("acme/llama-ft is not in the provider's /v1/models list", signal.Evidence);
    }

    [Fact]
    public void AnUnreadableProviderList_ConcludesNothingAndSaysSo()
    {
        var signal = Signal(new RequirementFacts { UpstreamModel = "acme/llama-ft", ProviderModels = null });

        Assert.Equal(SignalState.Ok, signal.State);
        Assert.Contains("the provider's model list could not be read", signal.Evidence);
    }

    [Fact]
    public void NothingFound_NamesEverySourceChecked()
    {
        var signal = Signal(new RequirementFacts { UpstreamModel = "llama-8b", ProviderModels = new HashSet<string> { "llama-8b" } });

        Assert.Equal(SignalState.Ok, signal.State);
        Assert.Equal(
            "No requirement that only dedicated can meet. Checked: nothing stated on the endpoint, no region lock on the endpoint or the tenant, "
            + "no 429 from the upstream in the window and llama-8b is in the provider's /v1/models list.",
            signal.Evidence);
    }

    [Theory]
    [InlineData("int3", null, null, "Quantization")]
    [InlineData(null, "Mars", null, "Residency")]
    [InlineData(null, null, 0, "ConcurrencyFloor")]
    [InlineData(null, null, 100_001, "ConcurrencyFloor")]
    public void BadStatements_AreRefusedByField(string? quantization, string? residency, int? floor, string field) =>
        Assert.Contains(field, new StatedRequirements(false, quantization, residency, floor).Check().Keys);

    [Fact]
    public void BlankNames_MeanNone()
    {
        var stated = new StatedRequirements(false, " ", "", null);

        Assert.Empty(stated.Check());
        Assert.Equal(StatedRequirements.None, stated.Normalised());
    }

    [Fact]
    public void GoodStatements_AreNormalised()
    {
        var stated = new StatedRequirements(true, " FP8 ", "eu", 32);

        Assert.Empty(stated.Check());
        Assert.Equal(new StatedRequirements(true, "fp8", "EU", 32), stated.Normalised());
    }
}
