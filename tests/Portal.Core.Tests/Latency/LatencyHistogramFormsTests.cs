using Portal.Core.Latency;

namespace Portal.Core.Tests.Latency;

/// <summary>
/// The histogram's two storage forms (a sorted bucket list, HdrHistogram's dense arrays) and the buffer recorded values
/// wait in: whichever form a histogram is in, and however it got there, it answers as one that recorded every value.
/// </summary>
public sealed class LatencyHistogramFormsTests
{
    [Fact]
    public void ALargeHistogram_AnswersLikeTheSameValuesRecordedInSmallOnes()
    {
        var large = new LatencyHistogram();
        var small = new List<LatencyHistogram>();
        for (var i = 0; i < 5000; i++)
        {
            if (i % 100 == 0)
            {
                small.Add(new LatencyHistogram());
            }

            large.Record(i * 1.37);
            small[^1].Record(i * 1.37);
        }

        var merged = LatencyHistogram.Combine(small);

        Assert.Equal(large.ToBytes(), merged.ToBytes());
        Assert.Equal(large.Summarize(), merged.Summarize());
    }

    [Fact]
    public void Merge_EqualsRecordingEverySampleInOneHistogram()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (var i = 1; i <= 500; i++)
        {
            (i % 2 == 0 ? a : b).Record(i * 3.7);
            all.Record(i * 3.7);
        }

        a.Merge(b);

        Assert.Equal(all.ToBytes(), a.ToBytes());
    }

    [Fact]
    public void MergingALateBatchIntoAStoredMinute_EqualsRecordingEverySample()
    {
        // A stored minute read back (sorted list, ~1,900 buckets) and a late batch overlapping it: the merge stays a
        // sorted list and must give the same bytes and answers as one histogram of every value.
        var all = new LatencyHistogram();
        var stored = new LatencyHistogram();
        var late = new LatencyHistogram();
        for (var i = 0; i < 4000; i++)
        {
            var ms = 100 + i * 0.1;
            stored.Record(ms);
            all.Record(ms);
            if (i % 7 == 0)
            {
                late.Record(ms + 0.05);
                all.Record(ms + 0.05);
            }
        }

        var merged = LatencyHistogram.FromBytes(stored.ToBytes());
        merged.Merge(LatencyHistogram.FromBytes(late.ToBytes()));

        Assert.Equal(all.ToBytes(), merged.ToBytes());
        Assert.Equal(all.Summarize(), merged.Summarize());
    }

    [Theory]
    [InlineData(300)]
    [InlineData(5_000)]
    [InlineData(40_000)]
    public void RecordingInAnyOrder_WithReadsBetween_EqualsTheDenseForm(int values)
    {
        // Recorded values wait in a buffer and are sorted in together, into the sorted list or, past 8,192 buckets, the
        // dense form; reads in between fold them at odd moments. The answers must be those of the dense form throughout.
        var random = new Random(values);
        var compact = new LatencyHistogram();
        var dense = LatencyHistogram.Accumulator();
        for (var i = 0; i < values; i++)
        {
            var ms = random.Next(4) == 0 ? 250.0 : Math.Exp(random.NextDouble() * 12) / 10;
            compact.Record(ms);
            dense.Record(ms);
            if (random.Next(700) == 0)
            {
                Assert.Equal(dense.Count, compact.Count);
                Assert.Equal(dense.Percentile(99), compact.Percentile(99));
            }
        }

        Assert.Equal(dense.ToBytes(), compact.ToBytes());
        Assert.Equal(dense.Summarize(), compact.Summarize());
    }

    [Fact]
    public async Task RecordedValues_ReadFromManyThreadsAtOnce_GiveEveryThreadTheSameAnswer()
    {
        // A histogram recorded and then shared (a report several pages read) folds its waiting values on the first read.
        for (var round = 0; round < 20; round++)
        {
            var histogram = new LatencyHistogram();
            for (var i = 0; i < 900; i++)
            {
                histogram.Record(1 + i * 0.37);
            }

            using var start = new Barrier(4);
            var reads = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                return Convert.ToBase64String(histogram.ToBytes());
            })));

            Assert.Single(reads.Distinct());
            Assert.Equal(900, histogram.Count);
        }
    }

    [Fact]
    public void MergingPastEightThousandBuckets_StillEqualsRecordingEverySample()
    {
        var all = new LatencyHistogram();
        var left = new List<LatencyHistogram> { new(), new() };
        for (var i = 0; i < 20_000; i++)
        {
            // 1 ms to 163 s, evenly on a log scale: over 15,000 distinct buckets.
            var ms = Math.Exp(i * 0.0006);
            left[i % 2].Record(ms);
            all.Record(ms);
        }

        var a = LatencyHistogram.FromBytes(left[0].ToBytes());
        a.Merge(LatencyHistogram.FromBytes(left[1].ToBytes()));

        Assert.Equal(all.ToBytes(), a.ToBytes());
        Assert.Equal(all.Count, a.Count);
    }
}
