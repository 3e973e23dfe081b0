using Portal.Simulator.Configuration;

namespace Portal.Simulator.Engine;

/// <summary>
/// The latency plan of one request, apart from the clock: how long prefill and each token gap take for the knobs, the
/// load and the random draws. Durations are simulated seconds; the engine turns them into real time. Kept pure so its
/// numbers can be checked exactly, while tests over HTTP only check that the server waited at least this long.
/// </summary>
internal static class DelayModel
{
    /// <summary>Factor on prefill and decode time from batch contention and any noisy-neighbour episode.</summary>
    public static double Slowdown(SimulatorOptions options, int running, bool noisyNeighborActive)
    {
        var contention = 1 + options.SlowdownPerRunningSeq * Math.Max(0, running - 1);
        return noisyNeighborActive ? contention * options.NoisyNeighborSlowdown : contention;
    }

    /// <summary>Simulated seconds from a running slot to the first token (any cold-start wait comes before).</summary>
    /// <param name="jitter">The request's log-normal draw for prefill (1 when <see cref="SimulatorOptions.TtftJitter"/> is 0).</param>
    public static double PrefillSeconds(SimulatorOptions options, int promptTokens, double jitter, double slowdown) =>
        (options.PrefillOverheadMs + promptTokens * options.PrefillMsPerToken) / 1000 * jitter * slowdown;

    /// <summary>Simulated seconds between one token and the next.</summary>
    /// <param name="jitter">The token's log-normal draw (1 when <see cref="SimulatorOptions.InterTokenLatencyJitter"/> is 0).</param>
    public static double TokenGapSeconds(SimulatorOptions options, double jitter, double slowdown) =>
        options.InterTokenLatencyMs / 1000 * jitter * slowdown;
}
