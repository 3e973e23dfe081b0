namespace Portal.Core.Gateway;

/// <summary>One replica of a target at the moment of choosing.</summary>
/// <param name="Outstanding">Requests the gateway has in flight on it.</param>
/// <param name="SaturationBound">Outstanding requests at which a baseline replica counts as full and burst capacity is used.</param>
/// <param name="Excluded">Already tried for this request (failover goes elsewhere).</param>
public readonly record struct ReplicaCandidate(
    string? Region, bool IsBurst, ReplicaRouteState State, int Outstanding, int SaturationBound, bool Excluded = false);

/// <summary>The chosen replica's index, or <see cref="NoCapacity"/>; <see cref="Alternatives"/> counts the other usable replicas.</summary>
public readonly record struct ReplicaChoice(int Index, bool Burst, int Alternatives)
{
    public static ReplicaChoice NoCapacity => new(-1, false, 0);

    public bool HasCapacity => Index >= 0;
}

/// <summary>
/// Which replica takes a request. Only Ready replicas inside the region lock and not yet tried are usable.
/// Among them: the baseline replica with the fewest outstanding requests, while any baseline replica is below its
/// saturation bound; once every baseline replica is at or over it, the least-loaded burst replica; when burst
/// replicas are full too (or there are none), the least-loaded usable replica of either kind. Ties go to the first
/// candidate at or after <c>tieBreaker</c> (mod count), so a rotating counter spreads equal load evenly.
/// </summary>
public static class ReplicaRouting
{
    public static ReplicaChoice Choose(ReadOnlySpan<ReplicaCandidate> candidates, IReadOnlySet<string>? allowedRegions, uint tieBreaker)
    {
        var count = candidates.Length;
        if (count == 0)
        {
            return ReplicaChoice.NoCapacity;
        }

        var start = (int)(tieBreaker % (uint)count);
        int bestBaseline = -1, bestBurst = -1, usable = 0;
        var baselineHasRoom = false;
        var burstHasRoom = false;
        for (var offset = 0; offset < count; offset++)
        {
            var i = (start + offset) % count;
            var candidate = candidates[i];
            if (candidate.Excluded || candidate.State != ReplicaRouteState.Ready || !RegionLock.Allows(allowedRegions, candidate.Region))
            {
                continue;
            }

            usable++;
            var hasRoom = candidate.Outstanding < candidate.SaturationBound;
            if (candidate.IsBurst)
            {
                burstHasRoom |= hasRoom;
                if (bestBurst < 0 || candidate.Outstanding < candidates[bestBurst].Outstanding)
                {
                    bestBurst = i;
                }
            }
            else
            {
                baselineHasRoom |= hasRoom;
                if (bestBaseline < 0 || candidate.Outstanding < candidates[bestBaseline].Outstanding)
                {
                    bestBaseline = i;
                }
            }
        }

        if (usable == 0)
        {
            return ReplicaChoice.NoCapacity;
        }

        int chosen;
        if (baselineHasRoom || bestBurst < 0)
        {
            chosen = bestBaseline;
        }
        else if (burstHasRoom || bestBaseline < 0)
        {
            chosen = bestBurst;
        }
        else
        {
            // Everything is full: queue where the queue is shortest; ties prefer baseline, which is paid for anyway.
            chosen = candidates[bestBurst].Outstanding < candidates[bestBaseline].Outstanding ? bestBurst : bestBaseline;
        }

        return new ReplicaChoice(chosen, candidates[chosen].IsBurst, usable - 1);
    }

    /// <summary>
    /// Whether the chosen replica is at its queue bound: past its saturation bound it may hold <paramref name="maxQueued"/>
    /// more requests (waiting in its engine's queue). <see cref="Choose"/> picks the least-loaded replica once all are
    /// saturated, so when the chosen one is at the bound, every usable replica is, and the request is refused, not sent.
    /// </summary>
    public static bool AtQueueBound(int outstanding, int saturationBound, int maxQueued) =>
        outstanding >= (long)saturationBound + maxQueued;
}
