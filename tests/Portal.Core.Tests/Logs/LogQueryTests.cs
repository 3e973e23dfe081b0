using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogQueryTests
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static LogLine At(int minute, string text) => new(_now.AddMinutes(minute - 60), text);

    [Fact]
    public void Parse_ReadsSpansBackFromNow_AndTimes()
    {
        var (query, errors) = LogQuery.Parse("10m", "2026-12-07T11:55:00Z", "stats", "50", _now);

        Assert.Empty(errors);
        Assert.Equal(_now.AddMinutes(-10), query!.Since);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 11, 55, 0, TimeSpan.Zero), query.Until);
        Assert.Equal("stats", query.Search);
        Assert.Equal(50, query.Limit);
    }

    [Fact]
    public void Parse_WithNothing_IsTheDefaultTail()
    {
        Assert.Equal(LogQuery.Tail, LogQuery.Parse(null, null, null, null, _now).Query);
    }

    [Theory]
    [InlineData("yesterday", null, null, "since")]
    [InlineData(null, "10x", null, "until")]
    [InlineData(null, null, "0", "limit")]
    [InlineData(null, null, "10001", "limit")]
    [InlineData(null, null, "-5", "limit")]
    [InlineData("2026-12-07T11:00:00Z", "2026-12-07T10:00:00Z", null, "until")]
    public void Parse_RefusesBadInput_NamingTheField(string? since, string? until, string? limit, string field)
    {
        var (query, errors) = LogQuery.Parse(since, until, null, limit, _now);

        Assert.Null(query);
        Assert.Contains(field, errors.Keys);
    }

    [Fact]
    public void Select_KeepsTheNewestLinesInRangeThatMatch()
    {
        var lines = new[] { At(1, "stats a"), At(2, "other"), At(3, "Stats b"), At(4, "stats c"), At(50, "stats late") };
        var query = new LogQuery(_now.AddMinutes(-59.5), _now.AddMinutes(-55), "STATS", 2);

        Assert.Equal(["Stats b", "stats c"], query.Select(lines).Select(l => l.Text));
    }

    [Fact]
    public void Select_DropsLinesWithoutATime_OnlyWhenAStartIsAsked()
    {
        var lines = new[] { new LogLine(null, "banner"), At(1, "stamped") };

        Assert.Equal(2, LogQuery.Tail.Select(lines).Count);
        Assert.Single(new LogQuery(_now.AddHours(-2), null, null, 10).Select(lines));
    }
}
