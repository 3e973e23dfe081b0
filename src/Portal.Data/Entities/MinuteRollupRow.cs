using Portal.Core.Latency;

namespace Portal.Data.Entities;

/// <summary>
/// One minute of one endpoint's traffic on one target, region, tier and traffic kind: counts plus an encoded mergeable
/// TTFT histogram (<see cref="LatencyHistogram.ToBytes"/>). A window's percentiles come from merging these rows.
/// </summary>
public sealed class MinuteRollupRow
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public DateTimeOffset MinuteStart { get; set; }
    public Guid EndpointId { get; set; }
    public Guid TargetId { get; set; }
    public required string Region { get; set; }
    public required string Tier { get; set; }
    public TrafficKind Traffic { get; set; }
    public long Requests { get; set; }
    public long Errors { get; set; }
    public long ColdStarts { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }
    public double? MaxColdStartTtftMs { get; set; }
    public required byte[] Histogram { get; set; }

    public RollupKey Key => new(MinuteStart, EndpointId, TargetId, Region, Tier, Traffic);

    public MinuteRollup ToRollup() => new(Key, LatencyHistogram.FromBytes(Histogram), Requests, Errors, ColdStarts, PromptTokens,
        CompletionTokens, MaxColdStartTtftMs);

    /// <summary>Replaces the counts and histogram with <paramref name="rollup"/>'s (already merged by the caller).</summary>
    public void CopyFrom(MinuteRollup rollup)
    {
        Requests = rollup.Requests;
        Errors = rollup.Errors;
        ColdStarts = rollup.ColdStarts;
        PromptTokens = rollup.PromptTokens;
        CompletionTokens = rollup.CompletionTokens;
        MaxColdStartTtftMs = rollup.MaxColdStartTtftMs;
        Histogram = rollup.Ttft.ToBytes();
    }

    public static MinuteRollupRow From(Guid tenantId, MinuteRollup rollup)
    {
        var row = new MinuteRollupRow
        {
            TenantId = tenantId, MinuteStart = rollup.Key.MinuteStart, EndpointId = rollup.Key.EndpointId, TargetId = rollup.Key.TargetId,
            Region = rollup.Key.Region, Tier = rollup.Key.Tier, Traffic = rollup.Key.Traffic, Histogram = [],
        };
        row.CopyFrom(rollup);
        return row;
    }
}
