namespace Portal.Data.Entities;

/// <summary>
/// The last cumulative TTFT histogram scraped from one source (a replica or a serverless target) of one target: the
/// baseline the next scrape's delta is taken against, by whichever portal instance runs it. Its scrape time is a
/// concurrency token, so a run that started from an older baseline than the one stored records nothing.
/// </summary>
public sealed class ServerTtftBaseline
{
    public Guid TargetId { get; set; }

    /// <summary><c>replica/{id}</c> or <c>target</c>.</summary>
    public required string Source { get; set; }

    public Guid TenantId { get; set; }
    public DateTimeOffset ScrapedAt { get; set; }

    /// <summary><see cref="Portal.Core.Metrics.ServerTtftHistogram.ToBytes"/> of the cumulative histogram.</summary>
    public required byte[] Histogram { get; set; }
}

/// <summary>
/// One scrape run's server-side TTFT for one target: the merged delta of its sources since their baselines. A window's
/// engine p50/p99 merge the points inside it.
/// </summary>
public sealed class ServerTtftPoint
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid TargetId { get; set; }
    public DateTimeOffset At { get; set; }

    /// <summary>Requests in the delta, beside the histogram so idle intervals can be skipped without decoding them.</summary>
    public double Count { get; set; }

    public double SumSeconds { get; set; }

    /// <summary><see cref="Portal.Core.Metrics.ServerTtftHistogram.ToBytes"/> of the delta: upper bounds, counts, count and sum.</summary>
    public required byte[] Histogram { get; set; }
}

/// <summary>
/// One scrape of one replica's engine counters: generated tokens so far and requests waiting for a slot. Intervals
/// between two readings in which requests waited at both ends measure the replica's capacity at load.
/// </summary>
public sealed class EngineReadingRow
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid TargetId { get; set; }

    /// <summary><c>replica/{id}</c>.</summary>
    public required string Source { get; set; }

    public DateTimeOffset At { get; set; }
    public double GenerationTokens { get; set; }
    public double Waiting { get; set; }
}
