using Portal.Core.DryRun;
using Portal.Core.Signals;

namespace Portal.Core.Tests.DryRun;

public class ReplaySummaryTests
{
    private static readonly DateTimeOffset _from = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Summarise_DeScalesTtftAndQueueWaitsAndCountsColdStartsAbove5Seconds()
    {
        var schedule = ReplaySchedule.Build([], _from, _from.AddMinutes(10), 20);
        // Replay TTFTs 5, 10, 300 ms → 100, 200, 6,000 ms recorded: the last is a cold start. Nearest rank of three: p50 is the 2nd, p90 the 3rd.
        ReplayedRequest[] gateway = [new(200, 5, false), new(200, 10, false), new(200, 300, true), new(429, null, false), new(500, null, false)];
        EngineArrival[] engine =
        [
            new(TimeSpan.Zero, 10, 5, true, false, 0.01, false),
            new(TimeSpan.Zero, 10, 5, true, false, 2, false),
            new(TimeSpan.Zero, 10, 5, true, true, null, true),
        ];

        var summary = ReplaySummary.Summarise(schedule, gateway, engine);

        Assert.Equal((5, 3, 1, 1), (summary.Requests, summary.Succeeded, summary.Throttled, summary.Failed));
        Assert.Equal((200.0, 6_000.0, 6_000.0), (summary.TtftP50Ms!.Value, summary.TtftP90Ms!.Value, summary.TtftP99Ms!.Value));
        Assert.Equal(1, summary.ColdStarts);
        Assert.Equal(1, summary.Queued); // 0.01 ms × 20 = 0.2 ms is not queueing; 2 ms × 20 = 40 ms is
        Assert.Equal(20.1, summary.QueueMeanMs!.Value, 6);
        Assert.Equal(3, summary.TtftHistogram.Sum());
        Assert.Equal(SignalState.Fires, summary.ColdStartSignal.State);
        Assert.Equal(SignalState.NotEnoughData, summary.TailDivergence.State);
    }

    [Fact]
    public void Summarise_CountsThePathOnceAndMultipliesOnlyTheEngineTime()
    {
        var schedule = ReplaySchedule.Build([], _from, _from.AddMinutes(10), 10);
        // The engines' first tokens were due 5, 8 and 40 ms after arrival; the gateway measured 3 ms more for each (its
        // own work, sockets, the host's timer). Recorded: 50 + 3, 80 + 3, 400 + 3 ms, not 80, 110 and 430.
        ReplayedRequest[] gateway = [new(200, 8, false), new(200, 11, false), new(200, 43, false), new(503, null, false)];
        EngineArrival[] engine =
        [
            new(TimeSpan.Zero, 10, 5, true, false, 0, false, 5),
            new(TimeSpan.Zero, 10, 5, true, false, 0, false, 8),
            new(TimeSpan.Zero, 10, 5, true, false, 35, false, 40),
            new(TimeSpan.Zero, 10, 5, true, false, null, true),
        ];

        var summary = ReplaySummary.Summarise(schedule, gateway, engine);

        Assert.Equal(3, summary.PathOverheadMs!.Value, 9);
        Assert.Equal(new double[] { 53, 83, 403 }, ReplaySummary.TtftsMs(schedule, gateway, engine).Select(t => Math.Round(t, 9)));
        Assert.Equal((83.0, 403.0), (Math.Round(summary.TtftP50Ms!.Value, 9), Math.Round(summary.TtftP99Ms!.Value, 9)));
    }

    [Fact]
    public void Summarise_WithoutTheEnginesDueTimes_MultipliesTheWholeTtft()
    {
        var schedule = ReplaySchedule.Build([], _from, _from.AddMinutes(10), 10);
        ReplayedRequest[] gateway = [new(200, 8, false), new(200, 11, false)];
        EngineArrival[] engine = [new(TimeSpan.Zero, 10, 5, true, false, 0, false), new(TimeSpan.Zero, 10, 5, true, false, 0, false)];

        var summary = ReplaySummary.Summarise(schedule, gateway, engine);

        Assert.Null(summary.PathOverheadMs);
        Assert.Equal(new double[] { 80, 110 }, ReplaySummary.TtftsMs(schedule, gateway, engine));
    }
}
