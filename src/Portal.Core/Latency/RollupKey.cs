namespace Portal.Core.Latency;

/// <summary>
/// Identifies one per-minute rollup. <see cref="Traffic"/> is part of the key so production-only statistics
/// (migration signals) stay answerable from stored rollups without probes and shadow copies mixed in.
/// </summary>
/// <param name="MinuteStart">Start of the UTC minute, whole minutes, offset zero.</param>
public readonly record struct RollupKey(
    DateTimeOffset MinuteStart,
    Guid EndpointId,
    Guid TargetId,
    string Region,
    string Tier,
    TrafficKind Traffic = TrafficKind.Production);
