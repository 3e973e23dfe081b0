using HdrHistogram;
using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

public sealed class LatencyHistogramTests
{
    private static LatencyHistogram OneToThousandMs()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(ms);
        }

        return histogram;
    }

    private static void AssertWithinRelative(double expected, double? actual, double tolerance)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(actual.Value - expected) <= expected * tolerance, $"expected {expected} ± {tolerance:P2}, got {actual}");
    }

    [Theory]
    [InlineData(50, 500)]
    [InlineData(90, 900)]
    [InlineData(95, 950)]
    [InlineData(99, 990)]
    [InlineData(99.9, 999)]
    [InlineData(100, 1000)]
    public void Percentile_OfOneToThousandMs_IsTheNearestRankValueWithinATenthOfAPercent(double percentile, double expectedMs)
    {
        var histogram = OneToThousandMs();

        AssertWithinRelative(expectedMs, histogram.Percentile(percentile), 0.001);
        Assert.Equal(expectedMs, ExactPercentiles.Percentile(Enumerable.Range(1, 1000).Select(i => (double)i), percentile));
    }

    [Fact]
    public void CountMinMaxMean_OfOneToThousandMs_AreWithinATenthOfAPercent()
    {
        var histogram = OneToThousandMs();

        Assert.Equal(1000, histogram.Count);
        Assert.Equal(1.0, histogram.Min);
        AssertWithinRelative(1000, histogram.Max, 0.001);
        AssertWithinRelative(500.5, histogram.Mean, 0.001);
    }

    [Fact]
    public void ValuesBelowTwoMilliseconds_AreRecordedExactly()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(0.5);
        histogram.Record(TimeSpan.FromMilliseconds(1.999));

        Assert.Equal(0.5, histogram.Percentile(50));
        Assert.Equal(1.999, histogram.Percentile(100));
    }

    [Fact]
    public void MergingADayOfMinuteRollups_AgreesWithExactPercentilesOfTheRawSamplesWithinOnePercent()
    {
        var random = new Random(20240501);
        var raw = new List<double>();
        var stored = new List<byte[]>();
        for (var minute = 0; minute < 1440; minute++)
        {
            var rollup = new LatencyHistogram();
            var samples = random.Next(1, 80);
            for (var i = 0; i < samples; i++)
            {
                // Log-normal TTFT: median 250 ms, sigma 0.9 (a long right tail).
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                var ttft = 250 * Math.Exp(0.9 * gaussian);
                raw.Add(ttft);
                rollup.Record(ttft);
            }

            stored.Add(rollup.ToBytes());
        }

        var fromBytes = new LatencyHistogram();
        foreach (var blob in stored)
        {
            fromBytes.MergeBytes(blob);
        }

        var combined = LatencyHistogram.Combine(stored.Select(blob => LatencyHistogram.FromBytes(blob)));

        Assert.Equal(raw.Count, fromBytes.Count);
        Assert.Equal(raw.Count, combined.Count);
        foreach (var percentile in new[] { 50, 90, 95, 99, 99.9 })
        {
            var exact = ExactPercentiles.Percentile(raw, percentile)!.Value;
            AssertWithinRelative(exact, fromBytes.Percentile(percentile), 0.01);
            Assert.Equal(fromBytes.Percentile(percentile), combined.Percentile(percentile));
        }
    }

    [Fact]
    public void MergingAThirtyDayWindowOfStoredMinutes_IsQuick()
    {
        var random = new Random(3);
        var blobs = new List<byte[]>();
        for (var minute = 0; minute < 30 * 1440; minute++)
        {
            var rollup = new LatencyHistogram();
            for (var i = 0; i < 20; i++)
            {
                rollup.Record(50 + random.NextDouble() * 5000);
            }

            blobs.Add(rollup.ToBytes());
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var window = LatencyHistogram.Combine(blobs.Select(blob => LatencyHistogram.FromBytes(blob)));
        var p99 = window.Percentile(99);
        stopwatch.Stop();

        Assert.Equal(30 * 1440 * 20, window.Count);
        Assert.NotNull(p99);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
    }

    [Fact]
    public void ToBytes_RoundTrips_EveryBucketAndStatistic()
    {
        var histogram = OneToThousandMs();
        histogram.Record(12_345.678);
        histogram.Record(3_599_999);

        var bytes = histogram.ToBytes();
        var back = LatencyHistogram.FromBytes(bytes);

        Assert.Equal(bytes, back.ToBytes());
        Assert.Equal(histogram.Summarize(), back.Summarize());
        Assert.Equal(histogram.BucketCounts(), back.BucketCounts());
    }

    [Fact]
    public void ToBytes_OfATypicalMinute_IsCompact()
    {
        var histogram = new LatencyHistogram();
        for (var i = 0; i < 50; i++)
        {
            histogram.Record(200 + i * 7.3);
        }

        Assert.True(histogram.ToBytes().Length < 200, $"{histogram.ToBytes().Length} bytes");
    }

    [Fact]
    public void EmptyHistogram_HasNoStatisticsAndSerializesToOneByte()
    {
        var empty = new LatencyHistogram();

        Assert.True(empty.IsEmpty);
        Assert.Equal(0, empty.Count);
        Assert.Null(empty.Percentile(50));
        Assert.Null(empty.Min);
        Assert.Null(empty.Max);
        Assert.Null(empty.Mean);
        Assert.Null(empty.Summarize());
        Assert.All(empty.BucketCounts(), count => Assert.Equal(0, count));
        Assert.Single(empty.ToBytes());
        Assert.True(LatencyHistogram.FromBytes(empty.ToBytes()).IsEmpty);
    }

    [Fact]
    public void MergingAnEmptyHistogram_ChangesNothing()
    {
        var histogram = OneToThousandMs();
        var before = histogram.ToBytes();

        histogram.Merge(new LatencyHistogram());
        histogram.MergeBytes(new LatencyHistogram().ToBytes());

        Assert.Equal(before, histogram.ToBytes());
    }

    [Fact]
    public void Record_AboveOneHour_IsClampedToOneHour()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromHours(3));

        AssertWithinRelative(3_600_000, histogram.Max, 0.001);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Record_OfANonsenseValue_Throws(double milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().Record(milliseconds));

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    public void Percentile_OutsideZeroToHundred_Throws(double percentile)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OneToThousandMs().Percentile(percentile));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyHistogram().Percentile(percentile));
    }

    public static TheoryData<byte[]> BadBlobs => new()
    {
        Array.Empty<byte>(),
        new byte[] { 2 },
        new byte[] { 1, 0x80 },
        new byte[] { 1, 5, 0 },
        new byte[] { 1, 5, 1, 0, 1 },
        new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 1 },
        new byte[] { 1, 0x80, 0x10, 1, 1, 1 }, // 2048 then 2049 µs: one bucket written as two
    };

    [Theory]
    [MemberData(nameof(BadBlobs))]
    public void FromBytes_OfBadData_ThrowsFormatException(byte[] blob) =>
        Assert.Throws<FormatException>(() => LatencyHistogram.FromBytes(blob));

    [Fact]
    public void FromBytes_AcceptsAValue_ExactlyWhenHdrHistogramCallsItTheHighestOfItsBucket()
    {
        var layout = new LongHistogram(LatencyHistogram.LowestTrackableMicroseconds,
            LatencyHistogram.HighestTrackableMicroseconds, LatencyHistogram.SignificantDigits);
        var checkedValues = 0;
        for (var exponent = 0; exponent < 32; exponent++)
        {
            var power = 1L << exponent;
            for (var offset = -3L; offset <= 3; offset++)
            {
                var value = power + offset;
                if (value < 1 || value > LatencyHistogram.HighestTrackableMicroseconds)
                {
                    continue;
                }

                var blob = new List<byte> { 1 };
                for (var rest = (ulong)value; ; rest >>= 7)
                {
                    blob.Add((byte)(rest < 0x80 ? rest : (rest & 0x7F) | 0x80));
                    if (rest < 0x80)
                    {
                        break;
                    }
                }

                blob.Add(1);
                var isBucket = layout.HighestEquivalentValue(value) == value;
                var accepted = Record.Exception(() => LatencyHistogram.FromBytes(blob.ToArray())) is null;
                Assert.True(isBucket == accepted, $"{value} µs: bucket value {isBucket}, accepted {accepted}");
                checkedValues++;
            }
        }

        Assert.True(checkedValues > 150);
    }

    [Fact]
    public void MergeBytes_OfBadData_AddsNothing()
    {
        var histogram = OneToThousandMs();
        var before = histogram.ToBytes();

        Assert.Throws<FormatException>(() => histogram.MergeBytes(new byte[] { 1, 5, 1, 7 }));

        Assert.Equal(before, histogram.ToBytes());
    }

    [Fact]
    public void BucketCounts_KeepAValueOnAnEdgeInTheLowerBucket()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(100);
        histogram.Record(5000);
        histogram.Record(5010);
        histogram.Record(3_000_000);

        var counts = histogram.BucketCounts();

        Assert.Equal(1, counts[TtftBuckets.IndexOf(0.1)]);
        Assert.Equal(7, TtftBuckets.IndexOf(0.1));
        Assert.Equal(1, counts[13]);
        Assert.Equal(1, counts[14]);
        Assert.Equal(1, counts[^1]);
        Assert.Equal(4, counts.Sum());
    }

    [Fact]
    public void Copy_IsIndependentOfTheOriginal()
    {
        var original = OneToThousandMs();
        var copy = original.Copy();

        copy.Record(5);

        Assert.Equal(1000, original.Count);
        Assert.Equal(1001, copy.Count);
    }
}
