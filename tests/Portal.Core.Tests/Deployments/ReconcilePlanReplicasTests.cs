using Portal.Core.Deployments;
using Portal.Core.Deployments.Reconciling;
using Portal.Core.Scaling;

namespace Portal.Core.Tests.Deployments;

/// <summary>The first half of a reconcile pass: adoption, drains, runtime status, crashed and failed replicas.</summary>
public sealed class ReconcilePlanReplicasTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static DesiredState Desired(int replicas, int baseline = -1) => new()
    {
        Status = DeploymentStatus.Ready, Replicas = replicas, Baseline = baseline < 0 ? replicas : baseline, Region = "us-east",
    };

    private static ObservedReplica Row(ReplicaPhase phase, string? runtimeId, int restarts = 0, DrainObservation? drain = null) => new()
    {
        Phase = phase, RuntimeId = runtimeId, CreatedAt = T0, Restarts = restarts, Drain = drain,
    };

    private static ReplicaPass Plan(DesiredState desired, IReadOnlyList<ObservedReplica> rows, IReadOnlyList<RunningReplica> running,
        int maxStarts = 4, bool mayPlace = true) =>
        ReconcilePlan.Replicas(new ReplicaPassInput { Desired = desired, Replicas = rows, Running = running, MaxStarts = maxStarts, MayPlace = mayPlace });

    [Fact]
    public void ReplicaStillLoading_FollowsTheRuntimesPhase()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.Starting, "r1")], [new RunningReplica("r1", ReplicaPhase.LoadingWeights, "loading 40 %")]);

        Assert.Equal([new ChangePhase(0, ReplicaPhase.LoadingWeights, "loading 40 %")], pass.Actions);
        Assert.Equal(0, pass.Starts);
    }

    [Fact]
    public void WeightsLoaded_TheReplicaWarmsBeforeItCountsAsReady()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.LoadingWeights, "r1")], [new RunningReplica("r1", ReplicaPhase.Ready)]);

        Assert.Equal([new ChangePhase(0, ReplicaPhase.Warming, "Weights loaded; sending a pre-warm request."), new Prewarm(0)], pass.Actions);
    }

    [Fact]
    public void PrewarmNotYetAnswered_IsSentAgain_WithoutAnotherPhaseChange()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.Warming, "r1")], [new RunningReplica("r1", ReplicaPhase.Ready)]);

        Assert.Equal([new Prewarm(0)], pass.Actions);
    }

    [Fact]
    public void ReadyReplica_ThatStaysReady_NeedsNothing()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.Ready, "r1")], [new RunningReplica("r1", ReplicaPhase.Ready)]);

        Assert.Empty(pass.Actions);
    }

    [Fact]
    public void ProcessGone_RecordsTheExit_AndStartsAReplacementInTheSameRow()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.Ready, "r1", restarts: 2)], []);

        Assert.Equal(
        [
            new RecordEvent(0, "replica.exited", "Replica process exited unexpectedly (restart #3)."),
            new ForgetProcess(0, ClearReadyAt: true),
            new StartReplica(0),
        ], pass.Actions);
        Assert.Equal(1, pass.Starts);
    }

    [Fact]
    public void RuntimeReportsFailure_StopsTheProcess_AndTheRowWaitsPendingForTheNextPass()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.Ready, "r1")], [new RunningReplica("r1", ReplicaPhase.Failed, "exit code 137")]);

        Assert.Equal(
        [
            new RecordEvent(0, "replica.failed", "Replica failed: exit code 137 (restart #1)."),
            new StopProcess(0),
            new ForgetProcess(0, ClearReadyAt: false),
            new ChangePhase(0, ReplicaPhase.Pending, "exit code 137"),
        ], pass.Actions);
        Assert.Equal(0, pass.Starts);
    }

    [Fact]
    public void PendingRows_StartOnlyUpToTheDesiredReplicas()
    {
        var pass = Plan(Desired(2), [Row(ReplicaPhase.Ready, "r1"), Row(ReplicaPhase.Pending, null), Row(ReplicaPhase.Pending, null)],
            [new RunningReplica("r1", ReplicaPhase.Ready)]);

        Assert.Equal([new StartReplica(1)], pass.Actions);
    }

    [Fact]
    public void Replacements_PastTheStartLimit_WaitForTheNextPass()
    {
        var rows = Enumerable.Range(0, 3).Select(i => Row(ReplicaPhase.Pending, null)).ToList();

        var pass = Plan(Desired(3), rows, [], maxStarts: 2);

        Assert.Equal([new StartReplica(0), new StartReplica(1)], pass.Actions);
        Assert.Equal(2, pass.Starts);
    }

    [Fact]
    public void OutsideTheRegionLock_NothingIsStarted()
    {
        var pass = Plan(Desired(1), [Row(ReplicaPhase.Pending, null)], [], mayPlace: false);

        Assert.Empty(pass.Actions);
    }

    [Fact]
    public void ScaledToZero_ACrashedReplicaIsNotReplaced()
    {
        var pass = Plan(Desired(0), [Row(ReplicaPhase.Ready, "r1")], []);

        Assert.DoesNotContain(pass.Actions, a => a is StartReplica);
    }

    [Fact]
    public void RunningReplicaNoRowKnows_IsAdoptedIntoAPendingRow_ElseIntoANewOne()
    {
        var pass = Plan(Desired(2), [Row(ReplicaPhase.Starting, null)],
            [new RunningReplica("a", ReplicaPhase.Starting), new RunningReplica("b", ReplicaPhase.Starting)]);

        Assert.Equal(
        [
            new AttachRunning(0, "a"),
            new CreateReplica(1, "us-east", IsBurst: false),
            new AttachRunning(1, "b"),
            new ChangePhase(1, ReplicaPhase.Starting, "Adopted a replica the runtime was already running."),
        ], pass.Actions);
        Assert.Equal(0, pass.Starts);
    }

    [Fact]
    public void DrainedReplica_Stops_OneWithStreamsInFlight_Waits()
    {
        var pass = Plan(Desired(0),
        [
            Row(ReplicaPhase.Draining, "r1", drain: new DrainObservation(DrainVerdict.Drained, "Drained: no request in flight.")),
            Row(ReplicaPhase.Draining, "r2", drain: new DrainObservation(DrainVerdict.Wait, "Draining: 2 request(s) in flight.")),
            Row(ReplicaPhase.Draining, "r3", drain: new DrainObservation(DrainVerdict.TimedOut, "Drain timeout of 60 s passed.")),
        ], [new RunningReplica("r1", ReplicaPhase.Ready), new RunningReplica("r2", ReplicaPhase.Ready), new RunningReplica("r3", ReplicaPhase.Ready)]);

        Assert.Equal(
        [
            new RecordEvent(0, "replica.drained", "Drained: no request in flight."),
            new StopReplica(0),
            new RecordEvent(2, "replica.drain_timeout", "Drain timeout of 60 s passed."),
            new StopReplica(2),
        ], pass.Actions);
    }

    [Fact]
    public void DrainingReplica_IsNotCountedAgainstTheDesiredReplicas_OnceItHasBeenLookedAt()
    {
        // The draining replica comes first: by the time the crashed one is looked at, only running non-draining rows count.
        var pass = Plan(Desired(1),
        [
            Row(ReplicaPhase.Draining, "r1", drain: new DrainObservation(DrainVerdict.Wait, "Draining: 1 request(s) in flight.")),
            Row(ReplicaPhase.Ready, "r2"),
        ], [new RunningReplica("r1", ReplicaPhase.Ready)]);

        Assert.Contains(new StartReplica(1), pass.Actions);
    }
}
