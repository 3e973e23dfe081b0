namespace Portal.Core.DryRun;

/// <summary>How many replicas were running from a moment on, in the recording's time.</summary>
public sealed record ReplicaCountPoint(TimeSpan At, int Replicas, int Burst);

public static class ReplicaTimeline
{
    /// <summary>
    /// A step series of running replicas (and how many of them burst) from the replay's start to its end: one point at
    /// the start, one at every start or stop inside the replay and one at the end of the window, times multiplied back
    /// by the compression.
    /// </summary>
    public static IReadOnlyList<ReplicaCountPoint> Points(IReadOnlyList<ReplayedReplica> replicas, TimeSpan replaySpan, double compression)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        var moments = replicas.SelectMany(r => r.Stopped is { } s ? new[] { r.Started, s } : [r.Started])
            .Where(t => t > TimeSpan.Zero && t < replaySpan)
            .Prepend(TimeSpan.Zero).Append(replaySpan).Distinct().Order();
        bool Running(ReplayedReplica r, TimeSpan t) => r.Started <= t && (r.Stopped is not { } s || s > t);
        return moments.Select(t => new ReplicaCountPoint(t * compression,
            replicas.Count(r => Running(r, t)), replicas.Count(r => r.Burst && Running(r, t)))).ToList();
    }
}
