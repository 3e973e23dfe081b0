using Portal.Core.DryRun;
using Portal.Core.Sla;

namespace Portal.Core.Tests.DryRun;

public class DryRunRecommenderTests
{
    // 100 values, the two slowest at the tail: nearest-rank p99 is the 99th value, the tail.
    private static double[] Ttfts(double typical, double tail) => [.. Enumerable.Repeat(typical, 98), tail, tail];

    private static readonly CandidateScore[] _candidates =
    [
        new("1×H100 burst to 3", Ttfts(90, 2_000), 40m),
        new("2×H100 fixed", Ttfts(85, 400), 60m),
        new("H200", Ttfts(70, 300), 80m),
    ];

    [Fact]
    public void Recommend_WithAnObjective_TheCheapestThatMeetsIt()
    {
        var answer = DryRunRecommender.Recommend(_candidates, new LatencyObjective(500, 99, 30), recordedP99Ms: 9_000);

        Assert.Equal("2×H100 fixed", answer.Candidate);
        Assert.Equal(["2×H100 fixed", "H200"], answer.Meeting);
        Assert.Contains("objective", answer.Bar);
    }

    [Fact]
    public void Recommend_WithoutAnObjective_SaysSoAndHoldsToTheRecordedP99()
    {
        var answer = DryRunRecommender.Recommend(_candidates, objective: null, recordedP99Ms: 2_500);

        Assert.Equal("1×H100 burst to 3", answer.Candidate);
        Assert.Contains("no TTFT objective is set", answer.Bar);
        Assert.StartsWith("1×H100 burst to 3 is the cheapest candidate meeting the p99 the endpoint recorded over the window, 2500 ms (no TTFT objective is set):",
            answer.Reason);
    }

    [Fact]
    public void Recommend_NoneMeetsTheBar_RecommendsNothingAndSaysWhy()
    {
        var answer = DryRunRecommender.Recommend(_candidates, new LatencyObjective(100, 99, 30), recordedP99Ms: null);

        Assert.Null(answer.Candidate);
        Assert.Contains("No candidate met", answer.Reason);
    }

    [Fact]
    public void Recommend_MeetingCandidateWithoutPrice_IsNotTheCheapest()
    {
        CandidateScore[] candidates = [new("unpriced", Ttfts(50, 100), null), new("priced", Ttfts(60, 200), 90m)];

        Assert.Equal("priced", DryRunRecommender.Recommend(candidates, new LatencyObjective(300, 99, 7), null).Candidate);
    }
}
