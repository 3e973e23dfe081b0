using Portal.Core.Gateway;

namespace Portal.Data.Entities;

/// <summary>Where an endpoint's requests go: a dedicated deployment, or an external OpenAI-compatible service.</summary>
public sealed class Target
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public TargetKind Kind { get; set; }
    public Guid? DeploymentId { get; set; }
    public Deployment? Deployment { get; set; }

    /// <summary>Serverless only: the provider's OpenAI-compatible base URL.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>Serverless only: the provider's model name (the endpoint's name is the customer's).</summary>
    public string? UpstreamModel { get; set; }

    /// <summary>Serverless only: the provider's API key, encrypted with Data Protection; never shown again.</summary>
    public string? ProtectedApiKey { get; set; }

    public string? Region { get; set; }
    public decimal InputPricePerMillion { get; set; }
    public decimal OutputPricePerMillion { get; set; }

    /// <summary>
    /// Serverless only: synthetic TTFT probes on (they keep the model warm and cost tokens, so the tenant opts in).
    /// Dedicated targets are always probed.
    /// </summary>
    public bool TtftProbeOptIn { get; set; }

    /// <summary>The silence after which this target's cold starts count as "after idle gap"; null = learnt or the default.</summary>
    public double? IdleGapSeconds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A model name served under the tenant's OpenAI-compatible API.</summary>
public sealed class InferenceEndpoint : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }

    /// <summary>The <c>model</c> a program sends; unique within the tenant.</summary>
    public required string Name { get; set; }

    public Guid PrimaryTargetId { get; set; }
    public Target? PrimaryTarget { get; set; }

    /// <summary>The other target of a migration: where a share is shadowed, and what "flip" swaps in.</summary>
    public Guid? SecondaryTargetId { get; set; }
    public Target? SecondaryTarget { get; set; }

    /// <summary>Share of requests copied to the secondary target, 0 to 0.5.</summary>
    public double ShadowShare { get; set; }

    /// <summary>Stated by the customer: the endpoint runs custom or fine-tuned weights.</summary>
    public bool RequiresCustomWeights { get; set; }

    /// <summary>Stated by the customer: the quantization the model must run in (e.g. <c>fp8</c>); null when any will do.</summary>
    public string? RequiredQuantization { get; set; }

    /// <summary>Stated by the customer: the jurisdiction requests must be processed in (e.g. <c>EU</c>); null when none.</summary>
    public string? RequiredResidency { get; set; }

    /// <summary>Stated by the customer: concurrent requests the endpoint must accept; null when none.</summary>
    public int? ConcurrencyFloor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public Guid ConcurrencyStamp { get; set; } = Guid.NewGuid();
}
