using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Deployments.Reconciling;
using Portal.Core.Scaling;

namespace Portal.Core.Tests.Deployments;

/// <summary>The second half of a reconcile pass: scale-out (baseline, then burst), the start limit, and the retire order.</summary>
public sealed class ReconcilePlanScaleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static BurstCapacity Burst(int usEastGpus = 8, int usCentralGpus = 8, IReadOnlySet<string>? allowed = null) => new()
    {
        Home = ModelCatalog.Default.GetRegion("us-east"), Allowed = allowed, GpuType = "h100-80gb", GpusPerReplica = 1,
        Pools = new BurstPoolOptions
        {
            Pools =
            [
                new BurstPool { Region = "us-east", GpuType = "h100-80gb", Gpus = usEastGpus },
                new BurstPool { Region = "us-central", GpuType = "h100-80gb", Gpus = usCentralGpus },
            ],
        },
    };

    private static IReadOnlyList<ReconcileAction> Scale(int desired, int baseline, IReadOnlyList<ActiveReplica> replicas, BurstCapacity? burst = null,
        int startsLeft = 4, bool mayPlace = true, DeploymentStatus status = DeploymentStatus.Ready) =>
        ReconcilePlan.Scale(new ScaleInput
        {
            Desired = new DesiredState { Status = status, Replicas = desired, Baseline = baseline, Region = "us-east" },
            Replicas = replicas, Burst = burst ?? Burst(), StartsLeft = startsLeft, MayPlace = mayPlace,
        });

    private static ActiveReplica Ready(int minutes, bool burst = false) => new(ReplicaPhase.Ready, burst, T0.AddMinutes(minutes));

    [Fact]
    public void NewDeployment_StartsItsBaselineInTheHomeRegion()
    {
        var actions = Scale(desired: 2, baseline: 2, []);

        Assert.Equal(
        [
            new CreateReplica(0, "us-east", IsBurst: false), new StartReplica(0),
            new CreateReplica(1, "us-east", IsBurst: false), new StartReplica(1),
        ], actions);
    }

    [Fact]
    public void PastTheBaseline_BurstReplicasFillTheHomePool_ThenTheNextClosest()
    {
        var actions = Scale(desired: 3, baseline: 1, [Ready(0)], Burst(usEastGpus: 1));

        Assert.Equal(
        [
            new CreateReplica(1, "us-east", IsBurst: true), new StartReplica(1),
            new CreateReplica(2, "us-central", IsBurst: true), new StartReplica(2),
        ], actions);
    }

    [Fact]
    public void BaselineReplicaLost_IsReplacedAsBaseline_EvenWhileABurstReplicaRuns()
    {
        var actions = Scale(desired: 2, baseline: 2, [Ready(0, burst: true)]);

        Assert.Equal([new CreateReplica(1, "us-east", IsBurst: false), new StartReplica(1)], actions);
    }

    [Fact]
    public void NoBurstRoomInsideTheLock_RecordsIt_AndDesiredDropsToWhatRuns()
    {
        var actions = Scale(desired: 3, baseline: 1, [Ready(0)], Burst(usEastGpus: 0, allowed: new HashSet<string> { "us-east" }));

        Assert.Equal(
        [
            new RecordEvent(null, "burst.unavailable", "No burst pool in an allowed region has 1 × h100-80gb free; staying at 1."),
            new LowerDesiredReplicas(1),
        ], actions);
    }

    [Fact]
    public void ScaleOut_StartsNoMoreThanTheStartsLeft()
    {
        var actions = Scale(desired: 6, baseline: 6, [], startsLeft: 4);

        Assert.Equal(4, actions.OfType<StartReplica>().Count());
        Assert.Equal(4, actions.OfType<CreateReplica>().Count());
        Assert.Empty(Scale(desired: 6, baseline: 6, [], startsLeft: 0));
    }

    [Fact]
    public void OutsideTheRegionLock_NothingIsStarted()
    {
        Assert.Empty(Scale(desired: 2, baseline: 2, [], mayPlace: false));
    }

    [Fact]
    public void ScaleIn_RetiresNeverReadyFirst_ThenBurst_ThenNewest_ReadyOnesDrain()
    {
        var replicas = new[]
        {
            Ready(0),                                                   // 0: oldest baseline, kept
            Ready(1, burst: true),                                      // 1
            Ready(2),                                                   // 2
            new ActiveReplica(ReplicaPhase.LoadingWeights, false, T0),  // 3: never ready
            Ready(3, burst: true),                                      // 4: newest burst
        };

        var actions = Scale(desired: 1, baseline: 1, replicas);

        const string drain = "Draining: no new requests; waiting for the streams in flight.";
        Assert.Equal(
        [
            new StopReplica(3),
            new ChangePhase(4, ReplicaPhase.Draining, drain),
            new ChangePhase(1, ReplicaPhase.Draining, drain),
            new ChangePhase(2, ReplicaPhase.Draining, drain),
        ], actions);
    }

    [Fact]
    public void DeletedDeployment_RetiresEveryReplica_AndIsRemovedFromTheRuntime()
    {
        var actions = Scale(desired: 0, baseline: 1, [Ready(0), new ActiveReplica(ReplicaPhase.Pending, false, T0)], status: DeploymentStatus.Deleted);

        Assert.Equal(
        [
            new StopReplica(1),
            new ChangePhase(0, ReplicaPhase.Draining, "Draining: no new requests; waiting for the streams in flight."),
            new RemoveFromRuntime(),
        ], actions);
    }

    [Fact]
    public void StoppedDeployment_KeepsWhatTheRuntimeCreatedForIt()
    {
        var actions = Scale(desired: 0, baseline: 1, [Ready(0)], status: DeploymentStatus.Stopped);

        Assert.DoesNotContain(actions, a => a is RemoveFromRuntime);
        Assert.Single(actions.OfType<ChangePhase>());
    }
}
