using Portal.Core.Deployments;

namespace Portal.Data.Entities;

/// <summary>One running engine process or pod, as the reconciler last saw it.</summary>
public sealed class Replica
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid DeploymentId { get; set; }
    public Deployment? Deployment { get; set; }
    public Guid TenantId { get; set; }
    public ReplicaPhase Phase { get; set; }

    /// <summary>The runtime's own id for it (state file name locally, pod name on Kubernetes).</summary>
    public string? RuntimeReplicaId { get; set; }

    public string? BaseUrl { get; set; }

    /// <summary>
    /// The replica's own engine key (<c>--api-key</c>), encrypted with Data Protection; only the platform presents it.
    /// Null for replicas started before replicas had keys.
    /// </summary>
    public string? ProtectedApiKey { get; set; }

    public int? ProcessId { get; set; }
    public bool UsesSimulator { get; set; }
    public bool IsBurst { get; set; }
    public required string Region { get; set; }
    public int Restarts { get; set; }
    public string? Detail { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadyAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public DateTimeOffset PhaseChangedAt { get; set; }
}
