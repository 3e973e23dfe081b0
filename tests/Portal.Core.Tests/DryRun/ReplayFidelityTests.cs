using Portal.Core.DryRun;
using Portal.Core.Gateway;

namespace Portal.Core.Tests.DryRun;

public class ReplayFidelityTests
{
    private static readonly DateTimeOffset _from = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Compare_PairsTheNthArrivalWithTheNthSlot_AndCountsTokensOnBothSides()
    {
        // Slots at 0, 1 and 2 s (compression 10 of 0, 10 and 20 s); one arrival 30 ms late, one 10 ms early, one missing.
        var schedule = ReplaySchedule.Build(
            [new(_from, GatewayOperation.Chat, 100, 0, true), new(_from.AddSeconds(10), GatewayOperation.Chat, 200, 5, true),
             new(_from.AddSeconds(20), GatewayOperation.Chat, 300, 5, true)], _from, _from.AddSeconds(30), 10);
        EngineArrival[] arrivals =
        [
            new(TimeSpan.FromMilliseconds(990), 200, 5, true, false, 0, false),
            new(TimeSpan.FromMilliseconds(30), 100, 1, true, false, 0, false),
        ];

        var fidelity = ReplayFidelity.Compare(schedule, arrivals);

        Assert.Equal((3, 2), (fidelity.Scheduled, fidelity.Arrived));
        Assert.Equal((600L, 300L), (fidelity.ScheduledPromptTokens, fidelity.ArrivedPromptTokens));
        Assert.Equal((11L, 6L), (fidelity.ScheduledCompletionTokens, fidelity.ArrivedCompletionTokens)); // 0 recorded tokens ask for 1
        Assert.Equal(30, fidelity.MaxLatenessMs!.Value, 6);
    }

    [Fact]
    public void Timeline_StepsAtEveryStartAndStopInsideTheReplay_ToTheWindowsEnd_InRecordedTime()
    {
        ReplayedReplica[] replicas =
        [
            new("base", false, TimeSpan.FromSeconds(-3), TimeSpan.FromSeconds(12)),
            new("burst", true, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)),
        ];

        var points = ReplicaTimeline.Points(replicas, TimeSpan.FromSeconds(10), compression: 6);

        Assert.Equal(
            [new ReplicaCountPoint(TimeSpan.Zero, 1, 0), new(TimeSpan.FromSeconds(24), 2, 1), new(TimeSpan.FromSeconds(48), 1, 0), new(TimeSpan.FromSeconds(60), 1, 0)],
            points);
    }

    [Fact]
    public void CandidateProblems_UnknownProfileTooManyAndSameNames_AreRefused()
    {
        var candidate = new DryRunCandidate { Model = "m", GpuType = "h100-80gb", Region = "us-east" };

        Assert.Contains("candidates[0].profile", DryRunCandidate.Problems([candidate with { Profile = "fast" }]).Keys);
        Assert.Contains("candidates", DryRunCandidate.Problems([.. Enumerable.Repeat(candidate, 6)]).Keys);
        Assert.Contains("name them apart", DryRunCandidate.Problems([candidate, candidate])["candidates"][0]);
        Assert.Empty(DryRunCandidate.Problems([candidate, candidate with { MaxReplicas = 3 }]));
        Assert.Equal("1× h100-80gb, 1–3 replicas", (candidate with { MaxReplicas = 3 }).DisplayName);
    }
}
