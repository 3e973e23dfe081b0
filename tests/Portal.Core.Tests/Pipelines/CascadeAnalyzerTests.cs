using Portal.Core.Pipelines;

namespace Portal.Core.Tests.Pipelines;

public sealed class CascadeAnalyzerTests
{
    private static PipelineStage Stage(
        string name,
        double? observedSeconds = null,
        double? estimatedSeconds = null,
        bool critical = true,
        ServingMode serving = ServingMode.Serverless) =>
        new(
            name,
            Guid.NewGuid(),
            critical,
            serving,
            observedSeconds is { } o ? TimeSpan.FromSeconds(o) : null,
            estimatedSeconds is { } e ? TimeSpan.FromSeconds(e) : null);

    [Fact]
    public void WorkedExample_MovesTheTwoLargestCriticalServerlessStages()
    {
        // embed 8 s + rerank 3 s (estimate) + generate 20 s = 31 s; the logger is off the critical path and the
        // guard is already dedicated, so neither counts.
        var stages = new[]
        {
            Stage("embed", observedSeconds: 8),
            Stage("rerank", estimatedSeconds: 3),
            Stage("generate", observedSeconds: 20, estimatedSeconds: 45),
            Stage("log", observedSeconds: 30, critical: false),
            Stage("guard", observedSeconds: 10, serving: ServingMode.Dedicated),
        };

        var report = CascadeAnalyzer.Analyze(stages);

        Assert.Equal(TimeSpan.FromSeconds(31), report.WorstCase);
        Assert.False(report.IsWithinBudget);
        Assert.Equal(["generate", "embed"], report.MoveToDedicated.Select(stage => stage.Name));
        Assert.Equal(TimeSpan.FromSeconds(3), report.WorstCaseAfter);
        Assert.Empty(report.UnknownPotential);
    }

    [Fact]
    public void UnderBudget_NeedsNoMove()
    {
        var report = CascadeAnalyzer.Analyze([Stage("a", 2), Stage("b", 2.9)]);

        Assert.True(report.IsWithinBudget);
        Assert.Empty(report.MoveToDedicated);
        Assert.Equal(report.WorstCase, report.WorstCaseAfter);
    }

    [Fact]
    public void ExactlyAtBudget_IsNotUnderIt()
    {
        var report = CascadeAnalyzer.Analyze([Stage("a", 2), Stage("b", 3)]);

        Assert.False(report.IsWithinBudget);
        Assert.Equal(["b"], report.MoveToDedicated.Select(stage => stage.Name));
        Assert.Equal(TimeSpan.FromSeconds(2), report.WorstCaseAfter);
    }

    [Fact]
    public void ACustomBudget_IsUsed()
    {
        var report = CascadeAnalyzer.Analyze([Stage("a", 4), Stage("b", 4), Stage("c", 1)], TimeSpan.FromSeconds(10));

        Assert.True(report.IsWithinBudget);
        Assert.Equal(TimeSpan.FromSeconds(10), report.Budget);
    }

    [Fact]
    public void Ties_GoToTheEarlierStage()
    {
        var report = CascadeAnalyzer.Analyze([Stage("first", 6), Stage("second", 6)]);

        Assert.Equal(["first", "second"], report.MoveToDedicated.Select(stage => stage.Name));
    }

    [Fact]
    public void ObservedPotential_WinsOverTheEstimateAndMissingOnesAreFlagged()
    {
        var observed = Stage("observed", observedSeconds: 7, estimatedSeconds: 60);
        var unknown = Stage("unknown");

        Assert.Equal(TimeSpan.FromSeconds(7), observed.ColdStartPotential);
        Assert.Equal(PotentialSource.Observed, observed.PotentialSource);
        Assert.Equal(PotentialSource.Estimated, Stage("e", estimatedSeconds: 1).PotentialSource);
        Assert.Equal(TimeSpan.Zero, unknown.ColdStartPotential);
        Assert.Equal(["unknown"], CascadeAnalyzer.Analyze([observed, unknown]).UnknownPotential.Select(stage => stage.Name));
    }

    [Fact]
    public void ANonPositiveBudget_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CascadeAnalyzer.Analyze([Stage("a", 1)], TimeSpan.Zero));

    [Fact]
    public void GreedyAdvice_MovesNoMoreStagesThanTheBestSubset()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 300; trial++)
        {
            var stages = Enumerable.Range(0, random.Next(1, 8))
                .Select(i => Stage($"s{i}", random.Next(0, 12), critical: random.Next(4) > 0, serving: random.Next(5) > 0 ? ServingMode.Serverless : ServingMode.Dedicated))
                .ToArray();

            var report = CascadeAnalyzer.Analyze(stages);

            var fewest = Enumerable.Range(0, 1 << stages.Length)
                .Where(mask => report.WorstCase - Moved(stages, mask) < report.Budget)
                .Min(mask => int.PopCount(mask));
            Assert.Equal(fewest, report.MoveToDedicated.Count);
            Assert.True(report.WorstCaseAfter < report.Budget);
        }
    }

    private static TimeSpan Moved(PipelineStage[] stages, int mask) =>
        stages.Where((_, i) => (mask & (1 << i)) != 0).Aggregate(TimeSpan.Zero, (sum, stage) => sum + stage.WorstCaseContribution);
}
