namespace Portal.Core.Latency;

/// <summary>One time bucket of a TTFT time series; percentiles in ms, null when the bucket has no TTFT.</summary>
public sealed record LatencySeriesPoint(
    DateTimeOffset BucketStart,
    long Requests,
    long Errors,
    long ColdStarts,
    double? P50,
    double? P99);
