namespace Portal.Core.Signals;

/// <summary>What the portal knows about one endpoint that can make it need dedicated (signal 4).</summary>
public sealed record RequirementFacts
{
    /// <summary>What the customer stated on the endpoint.</summary>
    public StatedRequirements Stated { get; init; } = StatedRequirements.None;

    /// <summary>The endpoint's own region lock; null when it has none.</summary>
    public IReadOnlySet<string>? EndpointLock { get; init; }

    /// <summary>The tenant's residency policy; null when it has none.</summary>
    public IReadOnlySet<string>? TenantPolicy { get; init; }

    /// <summary>Production requests in the window that the serverless upstream itself refused with 429.</summary>
    public long UpstreamRefusals { get; init; }

    /// <summary>The serverless target's model name at the provider; null when the endpoint has no serverless target.</summary>
    public string? UpstreamModel { get; init; }

    /// <summary>The provider's <c>/v1/models</c> ids; null when the list could not be read (then nothing is concluded).</summary>
    public IReadOnlySet<string>? ProviderModels { get; init; }
}
