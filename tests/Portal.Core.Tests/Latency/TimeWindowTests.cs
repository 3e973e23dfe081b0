using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class TimeWindowTests
{
    [Theory]
    [InlineData("1h", 60, 1, 60)]
    [InlineData("24h", 1440, 15, 96)]
    [InlineData("7d", 10080, 60, 168)]
    [InlineData("30d", 43200, 360, 120)]
    public void Parse_KnowsEachWindowWithItsBucketSize(string text, int lengthMinutes, int bucketMinutes, int buckets)
    {
        var window = TimeWindow.Parse(text);

        Assert.Equal(text, window.Name);
        Assert.Equal(TimeSpan.FromMinutes(lengthMinutes), window.Length);
        Assert.Equal(TimeSpan.FromMinutes(bucketMinutes), window.BucketSize);
        Assert.Equal(buckets, window.BucketStarts(new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.Zero)).Count);
    }

    [Fact]
    public void Parse_IgnoresCaseAndSpaces() => Assert.Same(TimeWindow.SevenDays, TimeWindow.Parse(" 7D "));

    [Theory]
    [InlineData("2h")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_OfAnUnknownWindow_Throws(string? text)
    {
        Assert.Throws<FormatException>(() => TimeWindow.Parse(text));
        Assert.False(TimeWindow.TryParse(text, out _));
    }

    [Fact]
    public void BucketStarts_WhenTheEndIsNotAligned_AddAPartialBucketAtEachEnd()
    {
        var end = new DateTimeOffset(2026, 3, 10, 12, 0, 30, TimeSpan.Zero);

        var starts = TimeWindow.OneHour.BucketStarts(end);

        Assert.Equal(61, starts.Count);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 11, 0, 0, TimeSpan.Zero), starts[0]);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero), starts[^1]);
    }

    [Fact]
    public void BucketStarts_OfSixHours_AreAlignedToUtcMidnight()
    {
        var starts = TimeWindow.ThirtyDays.BucketStarts(new DateTimeOffset(2026, 3, 10, 13, 0, 0, TimeSpan.Zero));

        Assert.All(starts, start => Assert.Equal(0, start.Hour % 6));
    }
}
