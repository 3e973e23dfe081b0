using Portal.Core.Gateway;

namespace Portal.Core.Latency;

/// <summary>
/// The tiers the TTFT pages split by: a production request's target kind (dedicated or serverless), or a shadow copy
/// whatever its target. Rollups store the target kind as <see cref="LatencySample.Tier"/> and the copy as
/// <see cref="TrafficKind.Shadow"/>; this is the one mapping between the two.
/// </summary>
public static class ServingTier
{
    public const string Dedicated = "dedicated";
    public const string Serverless = "serverless";
    public const string Shadow = "shadow";

    /// <summary>The tiers in display order.</summary>
    public static IReadOnlyList<string> All { get; } = [Dedicated, Serverless, Shadow];

    public static bool IsKnown(string? tier) => tier is not null && All.Contains(tier);

    /// <summary>The tier a rollup belongs to; probes belong to none.</summary>
    public static string? Of(RollupKey key) => key.Traffic switch
    {
        TrafficKind.Shadow => Shadow,
        TrafficKind.Production => key.Tier,
        _ => null,
    };

    /// <summary>
    /// The latency statistics' view of one gateway sample; null for a request refused before routing (no endpoint or
    /// target), which has no TTFT to speak of.
    /// </summary>
    public static LatencySample? FromGateway(RequestSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (sample is not { EndpointId: { } endpoint, TargetId: { } target })
        {
            return null;
        }

        return new LatencySample(
            sample.Timestamp,
            endpoint,
            target,
            sample.Region ?? "",
            sample.Tier == TargetKind.Serverless ? Serverless : Dedicated,
            sample.TtftMs,
            sample.ColdStart,
            sample.PromptTokens ?? 0,
            sample.CompletionTokens ?? 0,
            sample.StatusCode,
            sample.Shadow ? TrafficKind.Shadow : TrafficKind.Production);
    }
}
