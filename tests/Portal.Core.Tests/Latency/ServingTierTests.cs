using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Latency;

public sealed class ServingTierTests
{
    private static RequestSample Sample(TargetKind? tier = TargetKind.Serverless, bool shadow = false, Guid? endpoint = null, Guid? target = null) => new()
    {
        Timestamp = Samples.Noon, TenantId = Guid.NewGuid(), KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat,
        EndpointId = endpoint ?? Samples.Endpoint, TargetId = target ?? Samples.Target, Tier = tier, Region = "us-east", Shadow = shadow,
        StatusCode = 200, TtftMs = 6000, EndToEndMs = 7000, PromptTokens = 10, CompletionTokens = 4, ColdStart = true,
    };

    [Fact]
    public void FromGateway_AShadowCopyIsShadowTrafficInTheShadowTier()
    {
        var sample = ServingTier.FromGateway(Sample(TargetKind.Dedicated, shadow: true))!;

        Assert.Equal(TrafficKind.Shadow, sample.Traffic);
        Assert.Equal(ServingTier.Shadow, ServingTier.Of(sample.RollupKey));
    }

    [Theory]
    [InlineData(TargetKind.Serverless, "serverless")]
    [InlineData(TargetKind.Dedicated, "dedicated")]
    public void FromGateway_ProductionKeepsTheTargetKindAsTier(TargetKind kind, string tier)
    {
        var sample = ServingTier.FromGateway(Sample(kind))!;

        Assert.Equal(TrafficKind.Production, sample.Traffic);
        Assert.Equal(tier, ServingTier.Of(sample.RollupKey));
        Assert.Equal(10, sample.PromptTokens);
        Assert.True(sample.IsColdStart);
    }

    [Fact]
    public void FromGateway_ARequestRefusedBeforeRoutingIsNotRolledUp() =>
        Assert.Null(ServingTier.FromGateway(Sample() with { TargetId = null }));

    [Fact]
    public void Of_ProbesBelongToNoTier() =>
        Assert.Null(ServingTier.Of(new RollupKey(Samples.Noon, Samples.Endpoint, Samples.Target, "", "dedicated", TrafficKind.Probe)));

    [Fact]
    public void TheSignalsProjection_IsTheCostCalculatorsOne()
    {
        var window = TimeSpan.FromHours(7);
        var expected = CostCalculator.ProjectServerlessMonthly(12_345_678, 987_654, window, new TokenPrices(0.3m, 1.1m)).MonthlyUsd;

        Assert.Equal(expected, MigrationSignals.ProjectServerlessMonthlyCost(12_345_678, 987_654, new ServerlessPrices(0.3m, 1.1m), window));
    }

    [Fact]
    public void DedicatedSpendOverAWindow_AndPerRequest()
    {
        // 2 replicas × 1 GPU × $2.50 × 12 h = $60, over 1,200 requests = 5 cents each.
        var spend = DedicatedSpend.Usd([new(Samples.Noon.AddDays(-1), null), new(Samples.Noon.AddDays(-1), null)],
            Samples.Noon, Samples.Noon.AddHours(12), gpusPerReplica: 1, pricePerGpuHourUsd: 2.5m);

        Assert.Equal(60m, spend);
        Assert.Equal(0.05m, CostCalculator.PerRequest(spend, 1200));
        Assert.Null(CostCalculator.PerRequest(spend, 0));
    }
}
