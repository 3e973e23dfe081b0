using Portal.Core.Scaling;

namespace Portal.Core.Deployments.Reconciling;

/// <summary>
/// What one reconcile pass does to make a deployment's replicas match its desired state, as actions the host
/// performs in order. A pass has two halves because the second depends on how the first went (a pre-warm answered
/// or not, a launch that failed): <see cref="Replicas"/> looks after each replica, <see cref="Scale"/> then starts
/// what is missing and retires extras, and <see cref="Settle"/> names the deployment's status.
/// </summary>
public static class ReconcilePlan
{
    /// <summary>Starts per pass when configuration does not say.</summary>
    public const int DefaultMaxStartsPerPass = 4;

    /// <summary>
    /// Adopts what the runtime runs but no row knows (the portal died after starting it), stops drained replicas,
    /// follows each replica's runtime status (pre-warming one that has loaded its weights), and replaces replicas
    /// whose process exited or failed — within the pass's start limit.
    /// </summary>
    public static ReplicaPass Replicas(ReplicaPassInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var plan = new Builder(input.Replicas.Select(r => new Work(r.Phase, r.RuntimeId, r.Restarts, r.Drain)));
        var running = input.Running.ToDictionary(r => r.RuntimeId);
        var live = Enumerable.Range(0, input.Replicas.Count).ToList();

        foreach (var handle in input.Running.Where(h => live.All(slot => plan[slot].RuntimeId != h.RuntimeId)))
        {
            var pending = live.Cast<int?>().FirstOrDefault(slot => plan[slot!.Value].RuntimeId is null);
            var slot = pending ?? plan.Create(input.Desired.Region, isBurst: false);
            plan.Add(new AttachRunning(slot, handle.RuntimeId));
            plan[slot].RuntimeId = handle.RuntimeId;
            plan.Change(slot, ReplicaPhase.Starting, "Adopted a replica the runtime was already running.");
            if (pending is null)
            {
                live.Add(slot);
            }
        }

        var starts = 0;
        foreach (var slot in live.ToList())
        {
            var replica = plan[slot];
            if (replica.Phase == ReplicaPhase.Draining)
            {
                live.Remove(slot);
                if (replica.Drain is not { Verdict: not DrainVerdict.Wait } drain)
                {
                    continue;
                }

                plan.Add(new RecordEvent(slot, drain.Verdict == DrainVerdict.TimedOut ? "replica.drain_timeout" : "replica.drained", drain.Message));
                plan.Add(new StopReplica(slot));
                replica.Phase = ReplicaPhase.Stopped;
                continue;
            }

            if (replica.RuntimeId is null || !running.TryGetValue(replica.RuntimeId, out var observed))
            {
                if (replica.RuntimeId is not null)
                {
                    // It was running and is gone: a crash. Start a replacement in its place.
                    replica.Restarts++;
                    plan.Add(new RecordEvent(slot, "replica.exited", $"Replica process exited unexpectedly (restart #{replica.Restarts})."));
                    plan.Add(new ForgetProcess(slot, ClearReadyAt: true));
                    replica.RuntimeId = null;
                }

                if (input.MayPlace && input.Desired.Replicas > 0 && starts < input.MaxStarts
                    && live.Count(s => plan[s].RuntimeId is not null) < input.Desired.Replicas)
                {
                    plan.Add(new StartReplica(slot));
                    replica.Phase = ReplicaPhase.Starting;
                    replica.RuntimeId = Launching;
                    starts++;
                }

                continue;
            }

            switch (observed.Reported)
            {
                case ReplicaPhase.Starting or ReplicaPhase.LoadingWeights:
                    plan.Change(slot, observed.Reported, observed.Detail);
                    break;
                case ReplicaPhase.Ready when replica.Phase != ReplicaPhase.Ready:
                    plan.Change(slot, ReplicaPhase.Warming, "Weights loaded; sending a pre-warm request.");
                    plan.Add(new Prewarm(slot));
                    break;
                case ReplicaPhase.Failed:
                    replica.Restarts++;
                    plan.Add(new RecordEvent(slot, "replica.failed", $"Replica failed: {observed.Detail} (restart #{replica.Restarts})."));
                    plan.Add(new StopProcess(slot));
                    plan.Add(new ForgetProcess(slot, ClearReadyAt: false));
                    replica.RuntimeId = null;
                    plan.Change(slot, ReplicaPhase.Pending, observed.Detail);
                    break;
            }
        }

        return new ReplicaPass(plan.Actions, starts);
    }

    /// <summary>
    /// Starts missing replicas — baseline ones in the home region, past the baseline burst ones in the nearest allowed
    /// region whose pool has room — up to the starts left; and retires extras: never-ready ones first (they stop at
    /// once), then burst before baseline, then the newest; a Ready one drains instead of stopping.
    /// </summary>
    public static IReadOnlyList<ReconcileAction> Scale(ScaleInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var actions = new List<ReconcileAction>();
        var active = input.Replicas.Select((r, slot) => (Slot: slot, Replica: r)).ToList();
        var desired = input.Desired.Replicas;
        var burst = input.Burst;
        var starts = 0;
        for (var missing = input.MayPlace ? desired - active.Count : 0; missing > 0 && starts < input.StartsLeft; missing--)
        {
            var isBurst = active.Count(r => !r.Replica.IsBurst) >= input.Desired.Baseline;
            var region = isBurst ? burst.Choose() : input.Desired.Region;
            if (region is null)
            {
                actions.Add(new RecordEvent(null, "burst.unavailable",
                    $"No burst pool in an allowed region has {burst.GpusPerReplica} × {burst.GpuType} free; staying at {active.Count}."));
                actions.Add(new LowerDesiredReplicas(active.Count));
                desired = active.Count;
                break;
            }

            if (isBurst)
            {
                burst = burst.Take(region);
            }

            var slot = input.Replicas.Count + starts;
            actions.Add(new CreateReplica(slot, region, isBurst));
            actions.Add(new StartReplica(slot));
            active.Add((slot, new ActiveReplica(ReplicaPhase.Starting, isBurst, DateTimeOffset.MaxValue)));
            starts++;
        }

        var extras = active
            .OrderBy(r => r.Replica.Phase == ReplicaPhase.Ready).ThenByDescending(r => r.Replica.IsBurst).ThenByDescending(r => r.Replica.CreatedAt)
            .Take(Math.Max(0, active.Count - desired));
        foreach (var (slot, replica) in extras)
        {
            actions.Add(replica.Phase == ReplicaPhase.Ready
                ? new ChangePhase(slot, ReplicaPhase.Draining, "Draining: no new requests; waiting for the streams in flight.")
                : new StopReplica(slot));
        }

        if (desired == 0 && input.Desired.Status == DeploymentStatus.Deleted)
        {
            actions.Add(new RemoveFromRuntime());
        }

        return actions;
    }

    /// <summary>
    /// The deployment's status after a pass, and whether it has converged (nothing draining, exactly the desired
    /// replicas, all Ready). Stopped and Deleted stay as a person set them; otherwise Ready once the baseline is
    /// Ready, Degraded with fewer, Deploying with none.
    /// </summary>
    /// <param name="phases">The phases of the deployment's replicas that are not stopped.</param>
    public static Settlement Settle(DeploymentStatus status, int desiredReplicas, int baseline, IEnumerable<ReplicaPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var list = phases.Where(p => p != ReplicaPhase.Stopped).ToList();
        var active = list.Count(p => p != ReplicaPhase.Draining);
        var ready = list.Count(p => p == ReplicaPhase.Ready);
        var next = status switch
        {
            DeploymentStatus.Stopped or DeploymentStatus.Deleted => status,
            _ when ready >= baseline => DeploymentStatus.Ready,
            _ when ready > 0 => DeploymentStatus.Degraded,
            _ => DeploymentStatus.Deploying,
        };
        return new Settlement(next, active == list.Count && active == desiredReplicas && ready == active);
    }

    /// <summary>Stands for the runtime id a replica gets from the launch this pass performs.</summary>
    private const string Launching = "\0launching";

    private sealed class Work(ReplicaPhase phase, string? runtimeId, int restarts, DrainObservation? drain)
    {
        public ReplicaPhase Phase { get; set; } = phase;

        public string? RuntimeId { get; set; } = runtimeId;

        public int Restarts { get; set; } = restarts;

        public DrainObservation? Drain { get; } = drain;
    }

    private sealed class Builder(IEnumerable<Work> replicas)
    {
        private readonly List<Work> _replicas = replicas.ToList();

        public List<ReconcileAction> Actions { get; } = [];

        public Work this[int slot] => _replicas[slot];

        public void Add(ReconcileAction action) => Actions.Add(action);

        public int Create(string region, bool isBurst)
        {
            _replicas.Add(new Work(ReplicaPhase.Pending, null, 0, null));
            Actions.Add(new CreateReplica(_replicas.Count - 1, region, isBurst));
            return _replicas.Count - 1;
        }

        public void Change(int slot, ReplicaPhase phase, string? detail)
        {
            if (_replicas[slot].Phase != phase)
            {
                Actions.Add(new ChangePhase(slot, phase, detail));
                _replicas[slot].Phase = phase;
            }
        }
    }
}

/// <summary>The first half's actions, and how many replicas they start.</summary>
public sealed record ReplicaPass(IReadOnlyList<ReconcileAction> Actions, int Starts);

/// <summary>The deployment's status after a pass, and whether it has converged.</summary>
public sealed record Settlement(DeploymentStatus Status, bool Converged);
