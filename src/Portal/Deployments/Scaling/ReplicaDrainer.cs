using Microsoft.EntityFrameworkCore;
using Portal.Core.Scaling;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Routing;
using Portal.Inference;

namespace Portal.Deployments;

/// <summary>
/// Scale-in and stop without failing a call: a draining replica gets no new requests (the gateway routes only to
/// Ready replicas) and stops once its streams in flight have finished, or when the deployment's drain timeout passes.
/// </summary>
public sealed class ReplicaDrainer(GatewayLoad load, TimeProvider clock)
{
    /// <summary>
    /// The gateway may have routed to the replica just before its snapshot showed the drain; waiting one refresh (and a
    /// margin) after the drain began covers that.
    /// </summary>
    public static readonly TimeSpan RoutingRefresh = GatewaySnapshot.RefreshInterval + TimeSpan.FromSeconds(1);

    public async Task<int> TimeoutSecondsAsync(PortalDbContext db, Guid deploymentId, CancellationToken ct) =>
        await db.AutoscaleSettings.Where(s => s.DeploymentId == deploymentId).Select(s => (int?)s.DrainTimeoutSeconds).SingleOrDefaultAsync(ct)
        ?? AutoscalePolicyView.DefaultDrainTimeoutSeconds;

    /// <summary>Whether the draining replica may stop now, and a sentence for its timeline.</summary>
    public (DrainVerdict Verdict, string Message) Judge(Replica replica, int timeoutSeconds)
    {
        var inFlight = load.InFlightOn(replica.Id.ToString());
        var verdict = Draining.Judge(inFlight, clock.GetUtcNow() - replica.PhaseChangedAt, RoutingRefresh, TimeSpan.FromSeconds(timeoutSeconds));
        return (verdict, verdict switch
        {
            DrainVerdict.TimedOut => $"Drain timeout of {timeoutSeconds} s passed with {inFlight} request(s) still in flight; stopping.",
            DrainVerdict.Drained => "Drained: no request in flight.",
            _ => $"Draining: {inFlight} request(s) in flight.",
        });
    }
}
