using Portal.Core.DryRun;
using Portal.Core.Gateway;

namespace Portal.Core.Tests.DryRun;

public class ReplayScheduleTests
{
    private static readonly DateTimeOffset _from = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static RecordedRequest At(double seconds, int prompt = 100) =>
        new(_from.AddSeconds(seconds), GatewayOperation.Chat, prompt, 20, Streamed: true);

    [Fact]
    public void Build_24HoursAt144_ReplaysIn10MinutesAtTimeScaleOneOver144()
    {
        var schedule = ReplaySchedule.Build([At(0), At(3_600), At(86_399)], _from, _from.AddDays(1), 144);

        Assert.Equal(TimeSpan.FromMinutes(10), schedule.ReplaySpan);
        Assert.Equal(1 / 144.0, schedule.TimeScale);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(86_399) / 144], schedule.Requests.Select(r => r.Offset));
    }

    [Fact]
    public void Build_OrdersByArrivalKeepsTokensAndDropsRequestsOutsideTheWindow()
    {
        var schedule = ReplaySchedule.Build([At(20, prompt: 2), At(10, prompt: 1), At(-1, prompt: 9), At(60, prompt: 9)], _from, _from.AddSeconds(60), 10);

        Assert.Equal([1, 2], schedule.Requests.Select(r => r.Recorded.PromptTokens));
        Assert.Equal([0, 1], schedule.Requests.Select(r => r.Index));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], schedule.Requests.Select(r => r.Offset));
    }

    [Fact]
    public void ToRecordedMs_MultipliesReplayDurationsBackByTheCompression()
    {
        var schedule = ReplaySchedule.Build([], _from, _from.AddHours(1), 20);

        Assert.Equal(4_000, schedule.ToRecordedMs(200));
    }

    [Theory]
    [InlineData(0.5, "compression")]
    [InlineData(20_000, "compression")]
    [InlineData(double.NaN, "compression")]
    public void Problems_CompressionOutsideOneToAWeekInAMinute_IsRefused(double compression, string field)
    {
        Assert.Contains(field, ReplaySchedule.Problems(_from, _from.AddHours(1), compression).Keys);
    }

    [Fact]
    public void Problems_WindowLongerThan7DaysOrBackwards_IsRefused()
    {
        Assert.Contains("to", ReplaySchedule.Problems(_from, _from.AddDays(7).AddSeconds(1), 144).Keys);
        Assert.Contains("to", ReplaySchedule.Problems(_from, _from, 144).Keys);
        Assert.Empty(ReplaySchedule.Problems(_from, _from.AddDays(7), 144));
    }
}
