using Portal.Core.Cost;

namespace Portal.Core.Tests.Cost;

public class BreakEvenTests
{
    // $0.50 in / $1.50 out per million; 1,000 in + 200 out tokens → $0.0005 + $0.0003 = $0.0008 a request.
    private static readonly BreakEvenInput _input = new(
        new TokenPrices(0.50m, 1.50m), InputTokensPerRequest: 1_000, OutputTokensPerRequest: 200,
        Replicas: 1, GpusPerReplica: 1, PricePerGpuHourUsd: 2.50m);

    [Fact]
    public void Compute_CrossesWhereServerlessReachesTheDedicatedPrice()
    {
        var result = BreakEven.Compute(_input);

        Assert.Equal(0.0008m, result.ServerlessUsdPerRequest);
        Assert.Equal(1_825m, result.DedicatedMonthlyUsd); // 1 × 1 × $2.50 × 730
        Assert.Equal(2_281_250m, result.CrossingMonthlyRequests); // $1,825 ÷ $0.0008
        Assert.Equal(result.DedicatedMonthlyUsd, result.ServerlessMonthlyUsd(result.CrossingMonthlyRequests!.Value));
    }

    [Fact]
    public void Compute_ObservedVolumeAtTheCrossing_CostsAreEqualAndDedicatedCountsAsCheaper()
    {
        var result = BreakEven.Compute(_input with { ObservedMonthlyRequests = 2_281_250m });

        Assert.Equal(result.DedicatedMonthlyUsd, result.ObservedServerlessMonthlyUsd);
        Assert.True(result.DedicatedCheaperAtObserved);
    }

    [Fact]
    public void Compute_ObservedVolumeJustBelowTheCrossing_ServerlessIsCheaper()
    {
        var result = BreakEven.Compute(_input with { ObservedMonthlyRequests = 2_281_249m });

        Assert.False(result.DedicatedCheaperAtObserved);
    }

    [Fact]
    public void Compute_ZeroObservedVolume_CostsNothingOnServerless()
    {
        var result = BreakEven.Compute(_input with { ObservedMonthlyRequests = 0, CapacityTokensPerSecondPerReplica = 1_000 });

        Assert.Equal(0m, result.ObservedServerlessMonthlyUsd);
        Assert.Equal(0m, result.ObservedUtilisation);
        Assert.False(result.DedicatedCheaperAtObserved);
    }

    [Fact]
    public void Compute_FreeTokens_NeverCross()
    {
        var result = BreakEven.Compute(_input with { Prices = new TokenPrices(0, 0) });

        Assert.Null(result.CrossingMonthlyRequests);
        Assert.Equal(0m, result.ServerlessMonthlyUsd(1_000_000_000m));
    }

    [Fact]
    public void Compute_EmptyRequests_NeverCross()
    {
        var result = BreakEven.Compute(_input with { InputTokensPerRequest = 0, OutputTokensPerRequest = 0 });

        Assert.Null(result.CrossingMonthlyRequests);
    }

    [Fact]
    public void Compute_FreeDedicatedConfiguration_CrossesAtZero()
    {
        var result = BreakEven.Compute(_input with { PricePerGpuHourUsd = 0 });

        Assert.Equal(0m, result.CrossingMonthlyRequests);
    }

    [Fact]
    public void Compute_Capacity_IsReplicasTimesTokensPerSecondOverTheMonthAtTheUtilisation()
    {
        // 2 replicas × 1,200 tokens/s × 2,628,000 s ÷ 1,200 tokens a request = 5,256,000 requests; at 50 %: 2,628,000.
        var result = BreakEven.Compute(_input with
        {
            Replicas = 2, CapacityTokensPerSecondPerReplica = 1_200, Utilisation = 0.5m, ObservedMonthlyRequests = 1_314_000,
        });

        Assert.Equal(2_628_000m, result.CapacityMonthlyRequests);
        Assert.Equal(0.25m, result.ObservedUtilisation);
        Assert.Equal(4_562_500m, result.CrossingMonthlyRequests); // $3,650 ÷ $0.0008
        Assert.True(result.CrossingBeyondCapacity);
    }

    [Fact]
    public void Compute_UnknownCapacity_LeavesCapacityAndUtilisationUnknown()
    {
        var result = BreakEven.Compute(_input with { ObservedMonthlyRequests = 10 });

        Assert.Null(result.CapacityMonthlyRequests);
        Assert.Null(result.ObservedUtilisation);
        Assert.False(result.CrossingBeyondCapacity);
    }

    [Theory]
    [InlineData(0, "utilisation")]
    [InlineData(1.01, "utilisation")]
    public void Validate_UtilisationOutsideZeroToOne_IsRefused(double utilisation, string field)
    {
        var errors = BreakEven.Validate(_input with { Utilisation = (decimal)utilisation });

        Assert.Contains(field, errors.Keys);
        Assert.Throws<ArgumentException>(() => BreakEven.Compute(_input with { Utilisation = (decimal)utilisation }));
    }

    [Fact]
    public void Validate_NoReplicasAndNegativePrices_AreRefused()
    {
        var errors = BreakEven.Validate(_input with { Replicas = 0, Prices = new TokenPrices(-1, 0) });

        Assert.Contains("replicas", errors.Keys);
        Assert.Contains("prices", errors.Keys);
    }
}

public class BreakEvenChartTests
{
    private static readonly BreakEvenInput _input = new(
        new TokenPrices(0.50m, 1.50m), InputTokensPerRequest: 1_000, OutputTokensPerRequest: 200,
        Replicas: 1, GpusPerReplica: 1, PricePerGpuHourUsd: 2.50m);

    [Fact]
    public void ChartVolumes_ReachAQuarterBeyondTheLargestMark()
    {
        var result = BreakEven.Compute(_input with { ObservedMonthlyRequests = 4_000_000 }); // crossing 2,281,250

        var volumes = BreakEven.ChartVolumes(result, 4);

        Assert.Equal([0m, 1_250_000m, 2_500_000m, 3_750_000m, 5_000_000m], volumes);
    }

    [Fact]
    public void ChartVolumes_WithNothingToMark_SpanAMillionRequests()
    {
        var result = BreakEven.Compute(_input with { Prices = new TokenPrices(0, 0) });

        Assert.Equal(1_000_000m, BreakEven.ChartVolumes(result, 10)[^1]);
    }
}
