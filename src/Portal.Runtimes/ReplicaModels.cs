using Portal.Core.Deployments;
using Portal.Core.DryRun;

namespace Portal.Runtimes;

/// <summary>Everything a runtime needs to start a replica.</summary>
public sealed record ReplicaLaunch
{
    public required Guid TenantId { get; init; }

    public required Guid DeploymentId { get; init; }

    /// <summary>A spec that passed <see cref="DeploymentValidator"/>.</summary>
    public required ResolvedDeployment Deployment { get; init; }

    /// <summary>
    /// The tenant's own credentials for <see cref="ResolvedDeployment.PrivateSources"/>; a replica with private sources
    /// reads its weights with these only and never with the platform's identity. Unused for public catalog weights.
    /// </summary>
    public WeightCredentials? Credentials { get; init; }

    /// <summary>Dedicated replicas keep weights resident; the local runtime picks a dedicated simulator profile for them.</summary>
    public bool Dedicated { get; init; } = true;

    /// <summary>
    /// The replica's own secret (<see cref="ReplicaSecret"/>): its engine answers <c>/v1</c> only to callers that present
    /// it. Null = an engine open to anyone who reaches its port.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// A simulation, not a replica: the simulator runs with this profile (a shipped name or a JSON file) even where an
    /// engine is installed, and holds no GPUs. Migration dry runs launch their candidates this way. Null = a replica.
    /// </summary>
    public string? SimulatorProfile { get; init; }

    /// <summary>The simulator's time scale for this launch (a dry run's 1 ÷ compression); null = the runtime's setting.</summary>
    public double? SimulatorTimeScale { get; init; }

    /// <summary>
    /// Speed figures that override the simulator profile's (a dry-run candidate's, derived from its GPUs by
    /// <see cref="Portal.Core.DryRun.CandidatePerformance"/>); null = the profile's own.
    /// </summary>
    public SimulatorFigures? SimulatorOverrides { get; init; }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"launch of {Deployment.Name} ({DeploymentId}) for tenant {TenantId}";
}

/// <summary>
/// A replica as the runtime knows it; plain values so the portal can store it. Local: a process on a loopback port.
/// Kubernetes: a pod, or right after a start, the deployment's next replica slot ("name#slot").
/// </summary>
public sealed record ReplicaHandle
{
    public required string Runtime { get; init; }

    public required Guid DeploymentId { get; init; }

    /// <summary>Unique within the deployment: the local replica id or the pod name.</summary>
    public required string ReplicaId { get; init; }

    /// <summary>Where the OpenAI-compatible API answers (local runtime); null when reached through a Service.</summary>
    public Uri? BaseUri { get; init; }

    public int? ProcessId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The command that runs the replica, as a shell line.</summary>
    public string? CommandLine { get; init; }

    /// <summary>True when the simulator stands in for the engine.</summary>
    public bool UsesSimulator { get; init; }

    /// <summary>Something the operator should know about this launch, e.g. why the simulator stands in.</summary>
    public string? Note { get; init; }

    public string? LogPath { get; init; }

    /// <summary>
    /// The replica's secret: a started handle carries the launch's; on a listed one the caller that keeps the secret sets it
    /// (the runtime stores none in plain text). The runtime presents it on the engine calls it makes, such as
    /// <c>/v1/models</c> in <see cref="IReplicaRuntime.GetStatusAsync"/>.
    /// </summary>
    public string? ApiKey { get; init; }

    /// <summary>Never prints the secret.</summary>
    public override string ToString() => $"{Runtime} replica {ReplicaId} of {DeploymentId}";
}

public enum ReplicaState
{
    /// <summary>The runtime has no such replica.</summary>
    NotFound,

    /// <summary>Scheduled or starting; the engine does not answer yet.</summary>
    Starting,

    /// <summary>The engine answers but is loading weights (<c>/health</c> is 503, or the pod is not ready).</summary>
    LoadingWeights,

    /// <summary><c>/health</c> is 200 and <c>/v1/models</c> lists the served model.</summary>
    Ready,

    /// <summary>The process exited or the pod failed.</summary>
    Failed,
}

public sealed record ReplicaStatus(ReplicaState State, string? Detail = null);
