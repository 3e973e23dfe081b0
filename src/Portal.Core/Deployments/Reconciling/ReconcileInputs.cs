using Portal.Core.Scaling;

namespace Portal.Core.Deployments.Reconciling;

/// <summary>What the deployment row asks for.</summary>
public sealed record DesiredState
{
    public required DeploymentStatus Status { get; init; }

    public required int Replicas { get; init; }

    public required int Baseline { get; init; }

    /// <summary>The home region: where baseline replicas (and adopted ones) go.</summary>
    public required string Region { get; init; }
}

/// <summary>How a drain stands: the verdict and a sentence for the replica's timeline.</summary>
public sealed record DrainObservation(DrainVerdict Verdict, string Message);

/// <summary>A replica row that is not stopped, as loaded at the start of a pass.</summary>
public sealed record ObservedReplica
{
    public required ReplicaPhase Phase { get; init; }

    /// <summary>The runtime's id for it; null when it was never started or its process is known to be gone.</summary>
    public string? RuntimeId { get; init; }

    public bool IsBurst { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public int Restarts { get; init; }

    /// <summary>For a draining replica: whether it may stop now. Absent means keep waiting.</summary>
    public DrainObservation? Drain { get; init; }
}

/// <summary>
/// A replica the runtime lists for the deployment, with the phase its status maps to (Starting, LoadingWeights,
/// Ready, or Failed for a process that failed or is not found) and the runtime's detail.
/// </summary>
public sealed record RunningReplica(string RuntimeId, ReplicaPhase Reported, string? Detail = null);

/// <summary>Input of <see cref="ReconcilePlan.Replicas"/>: the first half of a pass.</summary>
public sealed record ReplicaPassInput
{
    public required DesiredState Desired { get; init; }

    /// <summary>False when the home region lies outside the region lock: nothing is started.</summary>
    public bool MayPlace { get; init; } = true;

    /// <summary>The deployment's replica rows that are not stopped, in a stable order; an action's slot is an index here.</summary>
    public required IReadOnlyList<ObservedReplica> Replicas { get; init; }

    public required IReadOnlyList<RunningReplica> Running { get; init; }

    /// <summary>How many replicas this pass may start in all; the rest wait for the next passes.</summary>
    public required int MaxStarts { get; init; }
}

/// <summary>A replica taking part in scaling: not stopped and not draining, after the first half of the pass.</summary>
public sealed record ActiveReplica(ReplicaPhase Phase, bool IsBurst, DateTimeOffset CreatedAt);

/// <summary>Input of <see cref="ReconcilePlan.Scale"/>: the second half of a pass.</summary>
public sealed record ScaleInput
{
    public required DesiredState Desired { get; init; }

    public bool MayPlace { get; init; } = true;

    /// <summary>An action's slot is an index here; new replicas take the slots after the last.</summary>
    public required IReadOnlyList<ActiveReplica> Replicas { get; init; }

    /// <summary>Where burst replicas may go, with the GPUs burst replicas hold now (this deployment's included).</summary>
    public required BurstCapacity Burst { get; init; }

    /// <summary>Starts this pass has left after the first half.</summary>
    public required int StartsLeft { get; init; }
}
