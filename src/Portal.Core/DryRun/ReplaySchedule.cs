namespace Portal.Core.DryRun;

/// <summary>One request of a replay: when to send it, counted from the replay's start in real (compressed) time.</summary>
public sealed record ScheduledRequest(int Index, TimeSpan Offset, RecordedRequest Recorded);

/// <summary>
/// A recorded window turned into an open-loop schedule: each request keeps its place and its gap to the first one,
/// divided by the compression. The simulator runs at <see cref="TimeScale"/> (1 ÷ compression) so its simulated durations
/// shrink by the same factor, and every duration measured in the replay is multiplied back by the compression.
/// </summary>
public sealed record ReplaySchedule(IReadOnlyList<ScheduledRequest> Requests, double Compression, TimeSpan RecordedSpan)
{
    /// <summary>The longest window a dry run replays (the limit).</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(7);

    /// <summary>24 h in 10 minutes is 144; a week in one minute is the most a replay compresses.</summary>
    public const double MaxCompression = 10_080;

    /// <summary>Real seconds per simulated second for the replicas of the replay.</summary>
    public double TimeScale => 1 / Compression;

    /// <summary>How long the replay takes in real time.</summary>
    public TimeSpan ReplaySpan => RecordedSpan / Compression;

    /// <summary>A duration measured in the replay, back in the recording's (real) time.</summary>
    public double ToRecordedMs(double replayMs) => replayMs * Compression;

    /// <summary>
    /// Orders the recorded requests by arrival (ties keep their given order) and spaces them by their recorded gaps ÷
    /// <paramref name="compression"/>. The recorded span runs from <paramref name="from"/> to <paramref name="to"/>, so
    /// quiet stretches at either end are replayed too (they decide cold starts).
    /// </summary>
    public static ReplaySchedule Build(IEnumerable<RecordedRequest> recorded, DateTimeOffset from, DateTimeOffset to, double compression)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        if (Problems(from, to, compression) is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join(" ", problems.Values.SelectMany(p => p)));
        }

        var ordered = recorded.Where(r => r.At >= from && r.At < to).OrderBy(r => r.At).ToList();
        var requests = ordered.Select((r, i) => new ScheduledRequest(i, (r.At - from) / compression, r)).ToList();
        return new ReplaySchedule(requests, compression, to - from);
    }

    /// <summary>What is wrong with a requested window and compression, by field (camelCase); empty when it may run.</summary>
    public static IReadOnlyDictionary<string, string[]> Problems(DateTimeOffset from, DateTimeOffset to, double compression)
    {
        var errors = new Dictionary<string, string[]>();
        if (to <= from)
        {
            errors["to"] = ["The window ends after it starts."];
        }
        else if (to - from > MaxWindow)
        {
            errors["to"] = [$"A dry run replays at most {MaxWindow.TotalDays:0} days of recorded traffic."];
        }

        if (double.IsNaN(compression) || compression < 1 || compression > MaxCompression)
        {
            errors["compression"] = [$"Compression is from 1 (real time) to {MaxCompression:N0} (a week in a minute); 144 replays 24 h in 10 minutes."];
        }

        return errors;
    }
}
