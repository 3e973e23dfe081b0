namespace Portal.Core.Latency;

/// <summary>
/// The part of one request's metadata that latency statistics need: what rollups, cold-start events and migration
/// signals are computed from. The rollup writer maps each gateway sample that reached a target to one of these
/// (a shadow copy becomes <see cref="TrafficKind.Shadow"/>); samples refused before routing have no target and are
/// not rolled up.
/// </summary>
/// <param name="Time">When the gateway received the request (UTC).</param>
/// <param name="TtftMs">Time to first content token in ms; null when no content chunk was sent (an error).</param>
/// <param name="Tier">The serving tier of the target, e.g. "dedicated", "burst" or "serverless".</param>
/// <param name="IsColdStart">As the gateway flagged it (TTFT strictly above the configured threshold).</param>
/// <param name="Status">HTTP status returned to the caller; 0 when the target gave no response at all.</param>
public sealed record LatencySample(
    DateTimeOffset Time,
    Guid EndpointId,
    Guid TargetId,
    string Region,
    string Tier,
    double? TtftMs,
    bool IsColdStart,
    long PromptTokens,
    long CompletionTokens,
    int Status,
    TrafficKind Traffic = TrafficKind.Production)
{
    /// <summary>Anything but a 2xx status, including no response at all, is an error.</summary>
    public bool IsError => Status is < 200 or > 299;

    /// <summary>The rollup this sample belongs to: its minute and its key parts.</summary>
    public RollupKey RollupKey => new(UtcTime.FloorToMinute(Time), EndpointId, TargetId, Region, Tier, Traffic);
}
