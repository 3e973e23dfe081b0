using System.Buffers;

namespace Portal.Core.Gateway;

/// <summary>
/// Timings of one request, in milliseconds. TTFT, ITL and TPOT exist only for responses with content chunks; for a
/// successful embedding request TTFT is its time to response (<see cref="RequestTiming.Measure"/>).
/// </summary>
public readonly record struct RequestTimings(
    double EndToEndMs, double? TtftMs, double? ItlMeanMs, double? ItlP99Ms, double? TpotMs, bool ColdStart);

/// <summary>
/// The vLLM serving-benchmark definitions, measured at the gateway. TTFT: request received → first SSE chunk carrying
/// generated content sent. ITL: the gaps between consecutive content chunks. TPOT: (e2e − TTFT) ÷ (output tokens − 1).
/// A cold-start event is a TTFT above a threshold (5 s unless configured).
/// </summary>
public static class RequestTiming
{
    public static readonly TimeSpan DefaultColdStartThreshold = new Latency.ColdStartRule().Threshold;

    /// <param name="received">Timestamp when the gateway received the request.</param>
    /// <param name="contentChunks">Timestamps when each content chunk was sent, in order.</param>
    /// <param name="completed">Timestamp when the response ended.</param>
    /// <param name="outputTokens">Output tokens from the usage report; the content chunk count when the upstream gave none.</param>
    /// <param name="ticksPerSecond">Timestamp frequency (e.g. <c>Stopwatch.Frequency</c>).</param>
    public static RequestTimings Compute(
        long received, ReadOnlySpan<long> contentChunks, long completed, int? outputTokens, long ticksPerSecond, TimeSpan coldStartThreshold)
    {
        var msPerTick = 1000.0 / ticksPerSecond;
        var e2e = (completed - received) * msPerTick;
        if (contentChunks.IsEmpty)
        {
            return new RequestTimings(e2e, null, null, null, null, false);
        }

        var ttft = (contentChunks[0] - received) * msPerTick;
        double? itlMean = null, itlP99 = null;
        if (contentChunks.Length > 1)
        {
            var gaps = contentChunks.Length - 1;
            itlMean = (contentChunks[^1] - contentChunks[0]) * msPerTick / gaps;
            itlP99 = GapPercentile(contentChunks, 0.99) * msPerTick;
        }

        var tokens = outputTokens ?? contentChunks.Length;
        double? tpot = tokens > 1 ? (e2e - ttft) / (tokens - 1) : null;
        return new RequestTimings(e2e, ttft, itlMean, itlP99, tpot, IsColdStart(ttft, coldStartThreshold));
    }

    /// <summary>
    /// The timings of one request of any operation. A successful embedding request has no tokens to stream: its whole
    /// answer arrives at once, so its time to response stands in for TTFT (the sample's operation says which it is)
    /// and decides a cold start the same way. Everything else is <see cref="Compute"/>.
    /// </summary>
    /// <param name="succeeded">The upstream answered 2xx and the gateway passed the answer on.</param>
    public static RequestTimings Measure(
        GatewayOperation operation, bool succeeded, long received, ReadOnlySpan<long> contentChunks, long completed,
        int? outputTokens, long ticksPerSecond, TimeSpan coldStartThreshold)
    {
        if (operation != GatewayOperation.Embeddings || !succeeded)
        {
            return Compute(received, contentChunks, completed, outputTokens, ticksPerSecond, coldStartThreshold);
        }

        var e2e = (completed - received) * 1000.0 / ticksPerSecond;
        return new RequestTimings(e2e, e2e, null, null, null, IsColdStart(e2e, coldStartThreshold));
    }

    /// <summary>The one cold-start rule (<see cref="Latency.ColdStartRule"/>) at a given threshold.</summary>
    public static bool IsColdStart(double? ttftMs, TimeSpan threshold) =>
        ttftMs is { } ttft && new Latency.ColdStartRule { Threshold = threshold }.IsColdStart(ttft);

    /// <summary>Nearest-rank percentile of the gaps between consecutive timestamps, in ticks.</summary>
    private static double GapPercentile(ReadOnlySpan<long> timestamps, double percentile)
    {
        var count = timestamps.Length - 1;
        var rented = ArrayPool<long>.Shared.Rent(count);
        try
        {
            var gaps = rented.AsSpan(0, count);
            for (var i = 0; i < count; i++)
            {
                gaps[i] = timestamps[i + 1] - timestamps[i];
            }

            gaps.Sort();
            var rank = (int)Math.Ceiling(percentile * count);
            return gaps[Math.Clamp(rank, 1, count) - 1];
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rented);
        }
    }
}
