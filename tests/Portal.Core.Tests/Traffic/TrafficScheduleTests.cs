using Portal.Core.Traffic;

namespace Portal.Core.Tests.Traffic;

public sealed class TrafficScheduleTests
{
    private static readonly TrafficShape Demo = new(Conversations: 3, RequestsPerSecond: 2, BusySeconds: 20, IdleGapSeconds: 40, StreamingShare: 0.7);

    [Fact]
    public void StartsBusy_ServerlessBeginsWithAnIdleGap_DedicatedWithTraffic()
    {
        Assert.False(TrafficSchedule.StartsBusy(serverless: true));
        Assert.True(TrafficSchedule.StartsBusy(serverless: false));
    }

    [Fact]
    public void PhaseLength_IsTheConfiguredLengthWithinTenPercent_AndVaries()
    {
        var schedule = new TrafficSchedule(Demo, new Random(1));

        var busy = Enumerable.Range(0, 500).Select(_ => schedule.PhaseLength(busy: true).TotalSeconds).ToList();
        var idle = Enumerable.Range(0, 500).Select(_ => schedule.PhaseLength(busy: false).TotalSeconds).ToList();

        Assert.All(busy, s => Assert.InRange(s, 18, 22));
        Assert.All(idle, s => Assert.InRange(s, 36, 44));
        Assert.True(busy.Max() - busy.Min() > 3, "phases of different endpoints drift apart");
    }

    [Fact]
    public void MeanPause_ConversationsTogetherSendTheConfiguredRate()
    {
        // Three conversations at 2 requests/s between them: each pauses 1.5 s on average.
        Assert.Equal(TimeSpan.FromSeconds(1.5), new TrafficSchedule(Demo, new Random(1)).MeanPause);
        Assert.Equal(TimeSpan.FromSeconds(0.25), new TrafficSchedule(Demo with { Conversations = 1, RequestsPerSecond = 4 }, new Random(1)).MeanPause);
    }

    [Fact]
    public void ConversationCount_IsAtLeastOne()
    {
        Assert.Equal(1, new TrafficSchedule(Demo with { Conversations = 0 }, new Random(1)).ConversationCount);
    }

    [Fact]
    public void NextPause_AveragesTheMeanPause_AndNeverReachesPastTheStretch()
    {
        var schedule = new TrafficSchedule(Demo, new Random(7));

        var pauses = Enumerable.Range(0, 20_000).Select(_ => schedule.NextPause(TimeSpan.FromHours(1))!.Value.TotalSeconds).ToList();
        var cut = Enumerable.Range(0, 1_000).Select(_ => schedule.NextPause(TimeSpan.FromSeconds(0.5))!.Value).ToList();

        Assert.InRange(pauses.Average(), 1.45, 1.55);
        Assert.All(cut, p => Assert.True(p <= TimeSpan.FromSeconds(0.5)));
        Assert.Contains(cut, p => p == TimeSpan.FromSeconds(0.5));
    }

    [Fact]
    public void NextPause_WhenTheStretchIsOver_IsNone()
    {
        var schedule = new TrafficSchedule(Demo, new Random(1));

        Assert.Null(schedule.NextPause(TimeSpan.Zero));
        Assert.Null(schedule.NextPause(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void StartOffset_IsAtMostOneMeanPauseAndAtMostTwoSeconds()
    {
        var slow = new TrafficSchedule(Demo with { RequestsPerSecond = 0.1 }, new Random(3));
        var fast = new TrafficSchedule(Demo, new Random(3));

        Assert.All(Enumerable.Range(0, 500), _ => Assert.InRange(slow.StartOffset().TotalSeconds, 0, 2));
        Assert.All(Enumerable.Range(0, 500), _ => Assert.InRange(fast.StartOffset().TotalSeconds, 0, 1.5));
    }

    [Fact]
    public void Streams_InTheConfiguredShare()
    {
        var schedule = new TrafficSchedule(Demo, new Random(5));

        var share = Enumerable.Range(0, 10_000).Count(_ => schedule.Streams()) / 10_000.0;

        Assert.InRange(share, 0.68, 0.72);
        Assert.False(new TrafficSchedule(Demo with { StreamingShare = 0 }, new Random(5)).Streams());
    }

    [Theory]
    [InlineData(true, 2, false)]
    [InlineData(true, 8, false)]
    [InlineData(true, 9, true)]
    [InlineData(false, 2, true)]
    public void StartsNewConversation_AfterAFailedTurnOrPastEightMessages(bool answered, int messages, bool expected)
    {
        Assert.Equal(expected, TrafficSchedule.StartsNewConversation(answered, messages));
    }
}
