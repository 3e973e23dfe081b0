using Portal.Core.Deployments;
using Portal.Core.Deployments.Reconciling;

namespace Portal.Core.Tests.Deployments;

public sealed class ReconcilePlanSettleTests
{
    [Theory]
    [InlineData(DeploymentStatus.Deploying, 2, DeploymentStatus.Ready)]
    [InlineData(DeploymentStatus.Ready, 1, DeploymentStatus.Degraded)]
    [InlineData(DeploymentStatus.Degraded, 0, DeploymentStatus.Deploying)]
    [InlineData(DeploymentStatus.Pending, 0, DeploymentStatus.Deploying)]
    [InlineData(DeploymentStatus.Stopped, 2, DeploymentStatus.Stopped)]
    [InlineData(DeploymentStatus.Deleted, 2, DeploymentStatus.Deleted)]
    public void Status_FollowsTheReadyReplicasAgainstTheBaseline_UnlessAPersonStoppedOrDeletedIt(DeploymentStatus now, int ready, DeploymentStatus next)
    {
        var phases = Enumerable.Repeat(ReplicaPhase.Ready, ready).Concat(Enumerable.Repeat(ReplicaPhase.Starting, 2 - ready));

        Assert.Equal(next, ReconcilePlan.Settle(now, 2, 2, phases).Status);
    }

    [Fact]
    public void DrainingReplicas_DoNotCountAsReady()
    {
        var settled = ReconcilePlan.Settle(DeploymentStatus.Ready, 1, 2, [ReplicaPhase.Ready, ReplicaPhase.Draining]);

        Assert.Equal(DeploymentStatus.Degraded, settled.Status);
    }

    [Fact]
    public void Converged_OnlyWithExactlyTheDesiredReplicas_AllReady_NothingDraining()
    {
        Assert.True(ReconcilePlan.Settle(DeploymentStatus.Ready, 2, 1, [ReplicaPhase.Ready, ReplicaPhase.Ready, ReplicaPhase.Stopped]).Converged);
        Assert.False(ReconcilePlan.Settle(DeploymentStatus.Ready, 2, 1, [ReplicaPhase.Ready, ReplicaPhase.Warming]).Converged);
        Assert.False(ReconcilePlan.Settle(DeploymentStatus.Ready, 2, 1, [ReplicaPhase.Ready]).Converged);
        Assert.False(ReconcilePlan.Settle(DeploymentStatus.Ready, 1, 1, [ReplicaPhase.Ready, ReplicaPhase.Draining]).Converged);
        Assert.True(ReconcilePlan.Settle(DeploymentStatus.Stopped, 0, 1, []).Converged);
    }
}
