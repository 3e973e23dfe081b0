using Portal.Core.Cost;
using Portal.Core.Latency;
using Portal.Core.Signals;

namespace Portal.Core.Tests.Signals;

/// <summary>An endpoint already served dedicated: keep, scale down or move back, never "stay on serverless".</summary>
public sealed class DedicatedAdviceTests
{
    private static readonly ReplicaCapacity _capacity = new(1_000, "measured at load from the engines' metrics");

    /// <summary>A day of traffic that one 1,000 tokens/s replica would carry at <paramref name="oneReplica"/>, on <paramref name="replicas"/> replicas.</summary>
    private static MigrationInput Dedicated(double oneReplica, int replicas, HardRequirements? requirements = null, ReplicaCapacity? capacity = null) => new()
    {
        Window = TimeSpan.FromDays(1),
        Traffic = new TrafficStats(10_000, 0, 0, (long)Math.Round(oneReplica * 1_000 * 86_400), new LatencyHistogram()),
        Prices = new ServerlessPrices(0m, 0m),
        DedicatedMonthlyCost = 2_000m,
        Capacity = capacity ?? _capacity,
        ServedDedicated = true,
        ReplicaTime = TimeSpan.FromDays(replicas),
        Replicas = replicas,
        Requirements = requirements ?? HardRequirements.None,
    };

    [Fact]
    public void Busy_IsKept()
    {
        var assessment = MigrationAdvisor.Assess(Dedicated(0.45, 1));

        Assert.Equal(DedicatedAdvice.Keep, assessment.Advice);
        Assert.False(assessment.MoveToDedicated);
        Assert.Equal("Keep dedicated: its replicas run at 45 % utilisation, at or above the 40 % where dedicated pays off.", assessment.Recommendation);
    }

    [Fact]
    public void TooManyReplicas_ScaleDown()
    {
        // 0.9 of one replica spread over 4 replicas is 22.5 % each; 2 would run at 45 %.
        var assessment = MigrationAdvisor.Assess(Dedicated(0.9, 4));

        Assert.Equal(DedicatedAdvice.ScaleDown, assessment.Advice);
        Assert.Equal(0.225, assessment.Utilisation!.Value, 6);
        Assert.Equal("Scale down to 2 replicas: its replicas run at 22.5 % utilisation; 2 would run at 45 %, where dedicated pays off.",
            assessment.Recommendation);
    }

    [Fact]
    public void Idle_WithNothingRequiringIt_MovesBack()
    {
        var assessment = MigrationAdvisor.Assess(Dedicated(0.3, 1));

        Assert.Equal(DedicatedAdvice.MoveBack, assessment.Advice);
        Assert.StartsWith("Move back to serverless: one replica would run at 30 % utilisation", assessment.Recommendation);
    }

    [Fact]
    public void Idle_ButRequired_IsKeptAndSaysWhy()
    {
        var required = RequirementRule.Evaluate(new RequirementFacts { Stated = new StatedRequirements(CustomWeights: true) });

        var assessment = MigrationAdvisor.Assess(Dedicated(0.3, 1, required));

        Assert.Equal(DedicatedAdvice.Keep, assessment.Advice);
        Assert.StartsWith("Keep dedicated: custom or fine-tuned weights requires it, though its replicas run at 30 %", assessment.Recommendation);
    }

    [Fact]
    public void WithoutACapacity_SaysItIsNotMeasured()
    {
        var assessment = MigrationAdvisor.Assess(Dedicated(0.3, 1) with { Capacity = null });

        Assert.Equal(DedicatedAdvice.NotMeasured, assessment.Advice);
        Assert.StartsWith("Served dedicated: its utilisation is not known yet", assessment.Recommendation);
    }

    [Theory]
    [InlineData(0.05, 1)]
    [InlineData(0.3, 1)]
    [InlineData(0.45, 1)]
    [InlineData(0.9, 4)]
    public void NeverSaysStayOnServerless(double oneReplica, int replicas) =>
        Assert.DoesNotContain("stay on serverless", MigrationAdvisor.Assess(Dedicated(oneReplica, replicas)).Recommendation, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void AnObjective_OnceJudged_IsNamed() =>
        Assert.EndsWith("It misses its objective.", MigrationAdvisor.Assess(Dedicated(0.45, 1) with { MeetsObjective = false }).Recommendation);
}
