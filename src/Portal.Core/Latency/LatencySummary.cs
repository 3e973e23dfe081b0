namespace Portal.Core.Latency;

/// <summary>The usual TTFT read-out of a non-empty <see cref="LatencyHistogram"/>; every duration in milliseconds.</summary>
public sealed record LatencySummary(
    long Count,
    double Min,
    double Mean,
    double P50,
    double P90,
    double P95,
    double P99,
    double P999,
    double Max);
