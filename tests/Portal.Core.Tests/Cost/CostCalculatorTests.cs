using Portal.Core.Cost;

namespace Portal.Core.Tests.Cost;

public class CostCalculatorTests
{
    private static readonly TokenPrices _prices = new(InputPerMillionUsd: 0.50m, OutputPerMillionUsd: 1.50m);

    [Fact]
    public void DedicatedMonthly_IsReplicasTimesGpusTimesPriceTimes730() =>
        // 2 replicas × 4 GPUs × $2.50 × 730 h
        Assert.Equal(14_600m, CostCalculator.DedicatedMonthlyUsd(2, 4, 2.50m));

    [Fact]
    public void ServerlessMonthly_ProjectsAOneDayWindowToThirtyDays()
    {
        // 10 M input + 2 M output tokens in one day → 300 M + 60 M a month → $150 + $90
        var projection = CostCalculator.ProjectServerlessMonthly(10_000_000, 2_000_000, TimeSpan.FromDays(1), _prices);

        Assert.Equal(300_000_000m, projection.MonthlyInputTokens);
        Assert.Equal(60_000_000m, projection.MonthlyOutputTokens);
        Assert.Equal(240m, projection.MonthlyUsd);
    }

    [Fact]
    public void ServerlessMonthly_ProjectsASevenDayWindow()
    {
        var projection = CostCalculator.ProjectServerlessMonthly(70_000_000, 0, TimeSpan.FromDays(7), _prices);

        Assert.Equal(300_000_000m, projection.MonthlyInputTokens);
        Assert.Equal(150m, projection.MonthlyUsd);
    }

    [Fact]
    public void BreakEven_MakesServerlessCostExactlyTheDedicatedPrice()
    {
        var dedicated = CostCalculator.DedicatedMonthlyUsd(1, 1, 2.50m); // $1,825

        var tokens = CostCalculator.BreakEvenMonthlyTokens(dedicated, _prices, inputShare: 0.5m);

        // blended $1.00 per million → 1,825 M tokens
        Assert.Equal(1_825_000_000m, tokens);
        Assert.Equal(dedicated, CostCalculator.ServerlessUsd(tokens!.Value * 0.5m, tokens.Value * 0.5m, _prices));
    }

    [Fact]
    public void BreakEven_BelowItServerlessIsCheaperAndAboveItDearer()
    {
        var dedicated = CostCalculator.DedicatedMonthlyUsd(1, 8, 3.00m);
        var tokens = CostCalculator.BreakEvenMonthlyTokens(dedicated, _prices, inputShare: 0.8m)!.Value;

        Assert.True(CostCalculator.ServerlessUsd(tokens * 0.79m, tokens * 0.19m, _prices) < dedicated);
        Assert.True(CostCalculator.ServerlessUsd(tokens * 0.81m, tokens * 0.21m, _prices) > dedicated);
    }

    [Fact]
    public void BreakEven_WithFreeTokens_IsNull() =>
        Assert.Null(CostCalculator.BreakEvenMonthlyTokens(1_000m, new TokenPrices(0, 0), 0.5m));

    [Fact]
    public void Utilisation_IsObservedTokensOverCapacity() =>
        // one hour at 1,000 tokens/s capacity = 3.6 M tokens; 900 k observed
        Assert.Equal(0.25, CostCalculator.Utilisation(900_000, TimeSpan.FromHours(1), 1_000), 10);

    [Fact]
    public void GpuPricing_UsesTheRegionOverrideThenTheListPrice()
    {
        var pricing = new GpuPricing
        {
            PerGpuHourUsd = { ["h100-80gb"] = 2.49m },
            RegionOverrides = { ["jp-tokyo"] = new() { ["h100-80gb"] = 2.99m } },
        };

        Assert.Equal(2.99m, pricing.Get("h100-80gb", "jp-tokyo"));
        Assert.Equal(2.49m, pricing.Get("H100-80GB", "us-east"));
        Assert.Null(pricing.Find("b200-192gb"));
        Assert.Contains("Pricing:Gpus:PerGpuHourUsd:b200-192gb", Assert.Throws<KeyNotFoundException>(() => pricing.Get("b200-192gb")).Message);
    }
}
