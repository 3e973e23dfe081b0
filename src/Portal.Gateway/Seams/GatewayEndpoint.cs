using System.Text;
using Portal.Core.Gateway;

namespace Portal.Gateway.Seams;

/// <summary>
/// What a caller names in <c>model</c>: an endpoint of its tenant with a primary target and optionally a shadow target.
/// The gateway reads this on every request, so a flip (primary ↔ shadow) is seen by the next request.
/// </summary>
/// <param name="Model">The name callers use in <c>model</c>, unique within the tenant.</param>
public sealed record GatewayEndpoint(Guid Id, Guid TenantId, string Model, GatewayTarget Primary)
{
    public GatewayTarget? Shadow { get; init; }

    /// <summary>Share of requests copied to <see cref="Shadow"/>: 0–0.5 (values outside are clamped).</summary>
    public double ShadowShare { get; init; }

    /// <summary>Region lock: the only regions requests may go to (primary, burst, failover and shadow); null = no lock.</summary>
    public IReadOnlySet<string>? AllowedRegions { get; init; }

    /// <summary>Shown as <c>created</c> in <c>/v1/models</c>.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The migration dry run this endpoint belongs to; only that dry run's key reaches it. Null for every real endpoint.</summary>
    public Guid? DryRunId { get; init; }
}

/// <summary>
/// Where requests go. A dedicated target's replicas come from <see cref="IReplicaStateProvider"/>; a serverless target is one
/// external OpenAI-compatible base URL called with the host-supplied, already decrypted <see cref="ApiKey"/>.
/// </summary>
public sealed record GatewayTarget(Guid Id, TargetKind Kind)
{
    /// <summary>The model name the upstream serves, when it differs from the endpoint's name; the gateway rewrites <c>model</c>.</summary>
    public string? UpstreamModel { get; init; }

    /// <summary>Serverless: the OpenAI base URL including its version segment, e.g. <c>https://api.example.com/v1/</c>.</summary>
    public Uri? BaseUri { get; init; }

    /// <summary>Serverless: the upstream's API key, sent as a bearer token. Never logged, never in samples or <see cref="ToString"/>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Serverless: the region the external service runs in, checked against region locks.</summary>
    public string? Region { get; init; }

    /// <summary>Dedicated: outstanding requests per replica at which a baseline replica counts as saturated and burst replicas are used.</summary>
    public int SaturationBound { get; init; } = 64;

    public static GatewayTarget Dedicated(Guid id, string? upstreamModel = null, int saturationBound = 64) =>
        new(id, TargetKind.Dedicated) { UpstreamModel = upstreamModel, SaturationBound = saturationBound };

    public static GatewayTarget Serverless(Guid id, Uri baseUri, string apiKey, string region, string? upstreamModel = null) =>
        new(id, TargetKind.Serverless) { BaseUri = baseUri, ApiKey = apiKey, Region = region, UpstreamModel = upstreamModel };

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Id = {Id}, Kind = {Kind}, UpstreamModel = {UpstreamModel}, BaseUri = {BaseUri}, Region = {Region}, ");
        builder.Append($"ApiKey = {(ApiKey is null ? "null" : "***")}, SaturationBound = {SaturationBound}");
        return true;
    }
}
