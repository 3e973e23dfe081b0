using Portal.Core.Latency;

namespace Portal.Data.Entities;

/// <summary>
/// One period of one endpoint's traffic on one target, region, tier and traffic kind: counts plus an encoded mergeable
/// TTFT histogram (<see cref="LatencyHistogram.ToBytes"/>). Kept at two levels (<see cref="RollupLevels"/>):
/// <see cref="MinuteRollupRow"/> and <see cref="HourRollupRow"/>. A window's percentiles come from merging these rows.
/// </summary>
public abstract class RollupRow
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>Start of the minute or hour (UTC).</summary>
    public DateTimeOffset Start { get; set; }

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

    public RollupKey Key => new(Start, EndpointId, TargetId, Region, Tier, Traffic);

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

    protected static T Fill<T>(T row, Guid tenantId, MinuteRollup rollup)
        where T : RollupRow
    {
        row.TenantId = tenantId;
        row.Start = rollup.Key.MinuteStart;
        row.EndpointId = rollup.Key.EndpointId;
        row.TargetId = rollup.Key.TargetId;
        row.Traffic = rollup.Key.Traffic;
        row.CopyFrom(rollup);
        return row;
    }
}

/// <summary>One minute of one key's traffic: what the sample writer stores and merges late samples into.</summary>
public sealed class MinuteRollupRow : RollupRow
{
    public static MinuteRollupRow From(Guid tenantId, MinuteRollup rollup) =>
        Fill(new MinuteRollupRow { Region = rollup.Key.Region, Tier = rollup.Key.Tier, Histogram = [] }, tenantId, rollup);
}

/// <summary>One hour of one key's traffic: the merge of its minute rows, written in the same transaction as they are.</summary>
public sealed class HourRollupRow : RollupRow
{
    public static HourRollupRow From(Guid tenantId, MinuteRollup rollup) =>
        Fill(new HourRollupRow { Region = rollup.Key.Region, Tier = rollup.Key.Tier, Histogram = [] }, tenantId, rollup);
}
