using Portal.Core.Cost;

namespace Portal.Core.DryRun;

/// <summary>
/// What a candidate would have cost over the recorded window, from its replicas' lifetimes in the replay: each replica
/// counts from its start to its stop (clipped to the replay), multiplied back by the compression into recorded hours,
/// × GPUs per replica × price per GPU-hour. Cost per request divides that by the requests replayed.
/// </summary>
public static class ReplayCost
{
    /// <summary>GPU-hours over the recorded window; lifetimes are offsets from the replay's start in replay (real) time.</summary>
    public static decimal GpuHours(IEnumerable<ReplayedReplica> replicas, TimeSpan replaySpan, double compression, int gpusPerReplica)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentOutOfRangeException.ThrowIfLessThan(compression, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(gpusPerReplica);
        var origin = DateTimeOffset.UnixEpoch;
        var lifetimes = replicas.Select(r => new ReplicaLifetime(origin + r.Started, r.Stopped is { } stopped ? origin + stopped : null));
        return DedicatedSpend.ReplicaHours(lifetimes, origin, origin + replaySpan) * (decimal)compression * gpusPerReplica;
    }

    /// <summary>GPU-hours × price; null when the GPU has no price in the candidate's region.</summary>
    public static decimal? Usd(decimal gpuHours, decimal? pricePerGpuHourUsd) => gpuHours * pricePerGpuHourUsd;

    /// <summary>Cost ÷ requests replayed; null without a cost or without requests.</summary>
    public static decimal? PerRequestUsd(decimal? usd, int requests) => usd is { } cost && requests > 0 ? cost / requests : null;
}

/// <summary>One replica of a replay, from its start to its stop (null = ran to the end), as offsets from the replay's start.</summary>
public sealed record ReplayedReplica(string ReplicaId, bool Burst, TimeSpan Started, TimeSpan? Stopped);
