namespace Portal.Core.Latency;

/// <summary>
/// Folds request samples into per-minute rollups in memory; the writer job drains finished minutes and persists
/// them. Pure: the caller passes the time. Not thread-safe: feed it from one consumer (e.g. a channel reader).
/// </summary>
public sealed class RollupAccumulator
{
    private readonly Dictionary<RollupKey, MinuteRollup> _rollups = [];

    /// <summary>Rollups held, in no particular order.</summary>
    public IReadOnlyCollection<MinuteRollup> Pending => _rollups.Values;

    /// <summary>Adds one sample to its minute's rollup.</summary>
    /// <exception cref="ArgumentException">The sample has negative token counts.</exception>
    public void Add(LatencySample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample.PromptTokens < 0 || sample.CompletionTokens < 0)
        {
            throw new ArgumentException("Token counts cannot be negative.", nameof(sample));
        }

        var key = sample.RollupKey;
        if (!_rollups.TryGetValue(key, out var rollup))
        {
            rollup = new MinuteRollup(key);
            _rollups.Add(key, rollup);
        }

        rollup.Add(sample);
    }

    /// <summary>
    /// Removes and returns the rollups of minutes that ended at or before <paramref name="now"/>, oldest first.
    /// A sample arriving later for a drained minute starts a new rollup for that key, which the store merges.
    /// </summary>
    public IReadOnlyList<MinuteRollup> Drain(DateTimeOffset now)
    {
        var finished = _rollups.Values
            .Where(rollup => rollup.Key.MinuteStart.AddMinutes(1) <= now)
            .OrderBy(rollup => rollup.Key.MinuteStart)
            .ThenBy(rollup => rollup.Key.EndpointId)
            .ThenBy(rollup => rollup.Key.TargetId)
            .ThenBy(rollup => rollup.Key.Region, StringComparer.Ordinal)
            .ThenBy(rollup => rollup.Key.Tier, StringComparer.Ordinal)
            .ThenBy(rollup => rollup.Key.Traffic)
            .ToList();
        foreach (var rollup in finished)
        {
            _rollups.Remove(rollup.Key);
        }

        return finished;
    }
}
