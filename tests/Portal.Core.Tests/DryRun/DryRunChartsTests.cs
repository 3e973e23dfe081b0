using Portal.Core.DryRun;

namespace Portal.Core.Tests.DryRun;

public class DryRunChartsTests
{
    private static readonly DateTimeOffset _from = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReplicasOverTime_PutsEveryCandidateOnOneStepAxis_WithABurstSeriesOnlyWhereThereWasABurst()
    {
        var fixedTwo = Candidate("2 fixed", [new(TimeSpan.Zero, 2, 0)]);
        var burst = Candidate("1 to 3", [new(TimeSpan.Zero, 1, 0), new(TimeSpan.FromSeconds(90), 2, 1), new(TimeSpan.FromMinutes(4), 1, 0)]);

        var chart = DryRunCharts.ReplicasOverTime([fixedTwo, burst]);

        // Each change appears twice (the count before it, then from it), so the lines step.
        Assert.Equal(["0:00", "", "1:30", "", "4:00"], chart.Labels);
        Assert.Equal(["2 fixed", "1 to 3", "1 to 3 (burst)"], chart.Lines.Select(l => l.Name));
        Assert.Equal([2.0, 2, 2, 2, 2], chart.Lines[0].Values);
        Assert.Equal([1.0, 1, 2, 2, 1], chart.Lines[1].Values);
        Assert.Equal([0.0, 0, 1, 1, 0], chart.Lines[2].Values);
    }

    [Fact]
    public void TtftHistograms_ShowTheRecordingBesideEachCandidate_OverTheBucketsThatHoldRequests()
    {
        var recordedCounts = new long[23];
        recordedCounts[8] = 3; // ≤ 250 ms
        var candidateCounts = new long[23];
        candidateCounts[9] = 2; // ≤ 500 ms
        candidateCounts[13] = 1; // ≤ 5 s
        var recorded = new RecordedTraffic(3, 3, 0, 200, 200, 200, 0, 0, recordedCounts);

        var chart = DryRunCharts.TtftHistograms(recorded, [Candidate("1× H100", [], candidateCounts)]);

        Assert.Equal(["≤ 250 ms", "≤ 500 ms", "≤ 750 ms", "≤ 1 s", "≤ 2.5 s", "≤ 5 s"], chart.Labels);
        Assert.Equal(["Recorded", "1× H100"], chart.Lines.Select(l => l.Name));
        Assert.Equal([3.0, 0, 0, 0, 0, 0], chart.Lines[0].Values);
        Assert.Equal([0.0, 2, 0, 0, 0, 1], chart.Lines[1].Values);
    }

    [Fact]
    public void TtftHistograms_OfAReportWithoutTheRecordedHistogram_ShowTheCandidatesOnly()
    {
        var counts = new long[23];
        counts[22] = 1;
        var chart = DryRunCharts.TtftHistograms(new RecordedTraffic(1, 1, 0, null, null, null, 0, 0), [Candidate("slow", [], counts)]);

        Assert.Equal(["> 2560 s"], chart.Labels);
        Assert.Equal(["slow"], chart.Lines.Select(l => l.Name));
    }

    private static CandidateReport Candidate(string name, IReadOnlyList<ReplicaCountPoint> replicas, long[]? histogram = null)
    {
        var schedule = ReplaySchedule.Build([], _from, _from.AddMinutes(10), 10);
        var summary = ReplaySummary.Summarise(schedule, [], []) with { TtftHistogram = histogram ?? new long[23] };
        var candidate = new DryRunCandidate { Name = name, Model = "llama-3.1-8b-instruct", GpuType = "h100-80gb", Region = "us-east" };
        return new CandidateReport(name, candidate, "dedicated-8b-h100", summary, [], replicas, 0, null, null, null,
            ReplayFidelity.Compare(schedule, []), null);
    }
}
