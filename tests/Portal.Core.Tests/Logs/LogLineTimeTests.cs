using Portal.Core.Logs;

namespace Portal.Core.Tests.Logs;

public class LogLineTimeTests
{
    private static readonly DateTimeOffset _reference = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-12-07T10:05:17.250Z INFO started", "2026-12-07T10:05:17.250+00:00")]
    [InlineData("2026-12-07T11:05:17+01:00 started", "2026-12-07T10:05:17+00:00")]
    [InlineData("[2026-12-07 10:05:17] Load weight end.", "2026-12-07T10:05:17+00:00")]
    [InlineData("INFO 12-07 10:05:17 [api_server.py:1] Starting vLLM API server", "2026-12-07T10:05:17+00:00")]
    [InlineData("WARNING 12-07 10:05:17.5 [x.py:1] slow", "2026-12-07T10:05:17.5+00:00")]
    [InlineData("(APIServer pid=42) INFO 12-07 10:05:17 [api_server.py:1] up", "2026-12-07T10:05:17+00:00")]
    [InlineData("[12/07/2026-10:05:17] [TRT-LLM] [I] Loading model", "2026-12-07T10:05:17+00:00")]
    public void Parse_ReadsEachEnginesStamp(string line, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), LogLineTime.Parse(line, _reference));
    }

    [Fact]
    public void Parse_PutsAVllmLineFromLastDecember_InLastYear_WhenReadInJanuary()
    {
        var january = new DateTimeOffset(2027, 1, 2, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 59, 0, TimeSpan.Zero), LogLineTime.Parse("INFO 12-31 23:59:00 [x.py:1] bye", january));
    }

    [Theory]
    [InlineData("Traceback (most recent call last):")]
    [InlineData("Loading safetensors checkpoint shards:  50% Completed | 1/2")]
    [InlineData("INFO 13-45 10:05:17 [x.py:1] not a date")]
    public void Parse_ReturnsNull_ForLinesWithoutAStamp(string line)
    {
        Assert.Null(LogLineTime.Parse(line, _reference));
    }

    [Fact]
    public void Stamp_GivesUnstampedLinesThePreviousLinesTime()
    {
        var lines = LogLineTime.Stamp(["no time yet", "INFO 12-07 10:00:00 [x.py:1] a", "  continued", "INFO 12-07 10:00:05 [x.py:1] b"], _reference).ToList();

        Assert.Null(lines[0].Time);
        Assert.Equal(lines[1].Time, lines[2].Time);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 0, 5, TimeSpan.Zero), lines[3].Time);
    }
}
