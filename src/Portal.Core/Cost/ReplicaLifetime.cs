namespace Portal.Core.Cost;

/// <summary>When one replica (baseline or burst) ran: from its creation to its stop, or still running when null.</summary>
public sealed record ReplicaLifetime(DateTimeOffset Started, DateTimeOffset? Stopped);

/// <summary>
/// Dedicated spend by the replicas' real lifetimes: each replica costs its GPUs × price per GPU-hour for the hours it
/// ran inside the window. A deployment created mid-window pays from its creation, a burst replica for its burst.
/// </summary>
public static class DedicatedSpend
{
    /// <summary>Replica-hours inside [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static decimal ReplicaHours(IEnumerable<ReplicaLifetime> lifetimes, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(lifetimes);
        long ticks = 0;
        foreach (var lifetime in lifetimes)
        {
            var start = lifetime.Started > from ? lifetime.Started : from;
            var end = lifetime.Stopped is { } stopped && stopped < to ? stopped : to;
            if (end > start)
            {
                ticks += (end - start).Ticks;
            }
        }

        return (decimal)ticks / TimeSpan.TicksPerHour;
    }

    /// <summary>Replica-hours in the window × GPUs per replica × price per GPU-hour.</summary>
    public static decimal Usd(IEnumerable<ReplicaLifetime> lifetimes, DateTimeOffset from, DateTimeOffset to, int gpusPerReplica, decimal pricePerGpuHourUsd)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(gpusPerReplica);
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerGpuHourUsd);
        return ReplicaHours(lifetimes, from, to) * gpusPerReplica * pricePerGpuHourUsd;
    }
}
