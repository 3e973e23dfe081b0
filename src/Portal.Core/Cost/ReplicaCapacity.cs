namespace Portal.Core.Cost;

/// <summary>How many generated tokens per second one replica carries, and where the figure comes from.</summary>
/// <param name="Source">E.g. "measured at load from the engines' metrics" or the catalog's source.</param>
public sealed record ReplicaCapacity(double TokensPerSecond, string Source)
{
    public double TokensPerSecond { get; } = TokensPerSecond > 0 && double.IsFinite(TokensPerSecond)
        ? TokensPerSecond
        : throw new ArgumentOutOfRangeException(nameof(TokensPerSecond), TokensPerSecond, "A capacity is greater than 0 tokens/s.");
}

/// <summary>
/// Two readings of one engine's <c>/metrics</c>: the cumulative generation-token counter and the requests waiting for
/// a slot, at a scrape time.
/// </summary>
public sealed record EngineReading(string Source, DateTimeOffset At, double GenerationTokens, double Waiting);

/// <summary>
/// A replica's capacity measured from its engine: the generation rate over the scrape intervals in which the engine was
/// saturated, i.e. requests were waiting for a slot at both ends of the interval. A rate taken while nothing waits
/// measures the traffic, not the replica, so such intervals do not count; with no saturated interval there is no
/// measurement and the catalog's figure stands.
/// </summary>
public static class CapacityRule
{
    public const string MeasuredSource = "measured at load from the engines' metrics";

    /// <summary>The mean generation tokens/s of one replica over its saturated intervals; null when there were none.</summary>
    public static ReplicaCapacity? Measure(IEnumerable<EngineReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        double tokens = 0, seconds = 0;
        foreach (var source in readings.GroupBy(r => r.Source))
        {
            EngineReading? previous = null;
            foreach (var reading in source.OrderBy(r => r.At))
            {
                // A counter that went down is a restarted engine: that interval measures nothing.
                if (previous is not null && previous.Waiting > 0 && reading.Waiting > 0 && reading.At > previous.At
                    && reading.GenerationTokens >= previous.GenerationTokens)
                {
                    tokens += reading.GenerationTokens - previous.GenerationTokens;
                    seconds += (reading.At - previous.At).TotalSeconds;
                }

                previous = reading;
            }
        }

        return seconds > 0 && tokens > 0 ? new ReplicaCapacity(tokens / seconds, MeasuredSource) : null;
    }
}
