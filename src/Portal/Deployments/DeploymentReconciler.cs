using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Deployments.Reconciling;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Residency;
using Portal.Runtimes;

namespace Portal.Deployments;

/// <summary>
/// Makes a deployment's actual replicas match its desired state, like a Kubernetes controller: it adopts what the
/// runtime already runs (so a portal restarted mid-deploy neither orphans nor duplicates replicas), restarts replicas
/// that died, starts missing ones (beyond the baseline from a burst pool), pre-warms loaded ones before they count as
/// Ready, and drains extras before stopping them. Safe to run twice and from several portal instances: one run per
/// deployment at a time (a distributed lock).
/// </summary>
public sealed partial class DeploymentReconciler(
    IDbContextFactory<PortalDbContext> dbFactory,
    IReplicaRuntime runtime,
    ModelCatalog catalog,
    IHttpClientFactory httpClients,
    JobStorage jobStorage,
    IBackgroundJobClient jobs,
    BurstPlacement burst,
    ReplicaDrainer drainer,
    TimeProvider clock,
    IResidencyLocks residency,
    AuditLog auditLog,
    IOptionsMonitor<ReconcileOptions> options,
    WeightCredentialService weightCredentials,
    ReplicaKeys replicaKeys,
    Notifications.TenantNotices notices,
    ILogger<DeploymentReconciler> logger)
{
    public const string RecurringId = "deployments-reconcile";

    /// <summary>Event and audit action when the home region lies outside the deployment's effective lock.</summary>
    public const string PlacementRefused = "residency.placement_refused";

    /// <summary>How soon a deployment that is still converging is looked at again.</summary>
    public static readonly TimeSpan FollowUp = TimeSpan.FromSeconds(2);

    public async Task ReconcileAllAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.Deployments.Where(d => d.Status != DeploymentStatus.Deleted
                || d.Replicas.Any(r => r.Phase != ReplicaPhase.Stopped))
            .Select(d => d.Id).ToListAsync(cancellationToken);
        foreach (var id in ids)
        {
            await ReconcileAsync(id, cancellationToken);
        }
        // One deployment's trouble never stops the sweep: ReconcileAsync logs and schedules its own retry.
    }

    [AutomaticRetry(Attempts = 0)]
    public async Task ReconcileAsync(Guid deploymentId, CancellationToken cancellationToken)
    {
        using var connection = jobStorage.GetConnection();
        IDisposable held;
        try
        {
            held = connection.AcquireDistributedLock($"deployment:{deploymentId:N}", TimeSpan.FromSeconds(1));
        }
        catch (Hangfire.Storage.DistributedLockTimeoutException)
        {
            return; // Another run has it; it schedules its own follow-up.
        }

        using (held)
        {
            bool converged;
            try
            {
                converged = await ReconcileOnceAsync(deploymentId, cancellationToken);
            }
            catch (Exception e) when (e is DbUpdateException or HttpRequestException or IOException or InvalidOperationException)
            {
                // A person changed the deployment meanwhile, the database was busy, a runtime call failed: look again soon.
                logger.LogWarning(e, "Reconciling deployment {Deployment} failed; trying again.", deploymentId);
                converged = false;
            }

            if (!converged)
            {
                jobs.Schedule<DeploymentReconciler>(r => r.ReconcileAsync(deploymentId, CancellationToken.None), FollowUp);
            }
        }
    }

    /// <summary>
    /// One pass; true when the deployment has converged. The decisions are <see cref="ReconcilePlan"/>'s; this loads
    /// what it needs, performs the actions in order and saves.
    /// </summary>
    private async Task<bool> ReconcileOnceAsync(Guid deploymentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployment = await db.Deployments.Include(d => d.Replicas).SingleOrDefaultAsync(d => d.Id == deploymentId, ct);
        if (deployment is null)
        {
            return true;
        }

        var now = clock.GetUtcNow();
        var allowed = await residency.AllowedRegionsForDeploymentAsync(deployment.TenantId, deployment.Id, ct);
        var mayPlace = await MayPlaceAsync(db, deployment, allowed, now, ct);
        var running = (await runtime.ListReplicasAsync(deploymentId, ct)).ToDictionary(h => h.ReplicaId);
        var pass = new Pass(db, deployment, running, now, [.. deployment.Replicas.Where(r => r.Phase != ReplicaPhase.Stopped)]);
        var maxStarts = options.CurrentValue.MaxStartsPerPass;

        var replicas = ReconcilePlan.Replicas(new ReplicaPassInput
        {
            Desired = Desired(deployment), MayPlace = mayPlace, MaxStarts = maxStarts,
            Replicas = await ObserveAsync(db, deployment, pass.Replicas, ct),
            Running = await ReportAsync(running.Values, pass.Replicas, ct),
        });
        await ApplyAsync(pass, pass.Replicas.ToList(), replicas.Actions, ct);
        var told = Notifications.DeploymentNotices.Pending(db, deployment, now).ToList();
        await db.SaveChangesAsync(ct);

        var active = pass.Replicas.Where(r => r.Phase is not (ReplicaPhase.Stopped or ReplicaPhase.Draining)).ToList();
        var scale = ReconcilePlan.Scale(new ScaleInput
        {
            Desired = Desired(deployment), MayPlace = mayPlace, StartsLeft = Math.Max(0, maxStarts - replicas.Starts),
            Replicas = [.. active.Select(r => new ActiveReplica(r.Phase, r.IsBurst, r.CreatedAt))],
            Burst = await burst.CapacityAsync(db, deployment, allowed, ct),
        });
        await ApplyAsync(pass, active, scale, ct);

        var settled = ReconcilePlan.Settle(deployment.Status, deployment.DesiredReplicas, deployment.BaselineReplicas, pass.Replicas.Select(r => r.Phase));
        if (settled.Status != deployment.Status)
        {
            Record(db, deployment, null, "deployment.status", $"Deployment is {settled.Status}.", now);
            deployment.Status = settled.Status;
        }

        told.AddRange(Notifications.DeploymentNotices.Pending(db, deployment, now));
        await db.SaveChangesAsync(ct);
        foreach (var notice in told.DistinctBy(n => n.Key))
        {
            notices.Publish(notice);
        }

        return settled.Converged;
    }

    private static DesiredState Desired(Deployment deployment) => new()
    {
        Status = deployment.Status, Replicas = deployment.DesiredReplicas, Baseline = deployment.BaselineReplicas, Region = deployment.Region,
    };

    private async Task<List<ObservedReplica>> ObserveAsync(PortalDbContext db, Deployment deployment, IEnumerable<Replica> replicas, CancellationToken ct)
    {
        int? drainTimeout = null;
        var observed = new List<ObservedReplica>();
        foreach (var replica in replicas)
        {
            DrainObservation? drain = null;
            if (replica.Phase == ReplicaPhase.Draining)
            {
                drainTimeout ??= await drainer.TimeoutSecondsAsync(db, deployment.Id, ct);
                var (verdict, message) = drainer.Judge(replica, drainTimeout.Value);
                drain = new DrainObservation(verdict, message);
            }

            observed.Add(new ObservedReplica
            {
                Phase = replica.Phase, RuntimeId = replica.RuntimeReplicaId, IsBurst = replica.IsBurst, CreatedAt = replica.CreatedAt,
                Restarts = replica.Restarts, Drain = drain,
            });
        }

        return observed;
    }

    private async Task<List<RunningReplica>> ReportAsync(IEnumerable<ReplicaHandle> handles, IReadOnlyCollection<Replica> rows, CancellationToken ct)
    {
        var reports = new List<RunningReplica>();
        foreach (var handle in handles)
        {
            // A runtime found after a restart does not know the replica's key; the row does.
            var row = rows.FirstOrDefault(r => r.RuntimeReplicaId == handle.ReplicaId);
            var status = await runtime.GetStatusAsync(row is null ? handle : handle with { ApiKey = replicaKeys.Reveal(row) }, ct);
            reports.Add(new RunningReplica(handle.ReplicaId, status.State switch
            {
                ReplicaState.Starting => ReplicaPhase.Starting,
                ReplicaState.LoadingWeights => ReplicaPhase.LoadingWeights,
                ReplicaState.Ready => ReplicaPhase.Ready,
                _ => ReplicaPhase.Failed,
            }, status.Detail));
        }

        return reports;
    }

    /// <summary>
    /// Whether the deployment's home region lies inside its effective region lock. When it does not, nothing is
    /// placed (never a foreign region); the refusal is recorded and audited once per streak, not on every pass.
    /// </summary>
    private async Task<bool> MayPlaceAsync(PortalDbContext db, Deployment deployment, IReadOnlySet<string>? allowed, DateTimeOffset now,
        CancellationToken ct)
    {
        if (RegionLock.Allows(allowed, deployment.Region) || deployment.DesiredReplicas == 0)
        {
            return true;
        }

        var lastKind = await db.DeploymentEvents.Where(e => e.DeploymentId == deployment.Id).OrderByDescending(e => e.Id)
            .Select(e => e.Kind).FirstOrDefaultAsync(ct);
        if (lastKind != PlacementRefused)
        {
            var message = $"No replica placed: {deployment.Region} is outside the region lock ({string.Join(", ", allowed!.Order())}).";
            Record(db, deployment, null, PlacementRefused, message, now);
            await db.SaveChangesAsync(ct);
            await auditLog.RecordAnonymousAsync("reconciler", "Deployment reconciler", deployment.TenantId, PlacementRefused, "deployment",
                deployment.Id.ToString(), AuditOutcome.Denied, message, new { region = deployment.Region, allowed = allowed!.Order().ToList() }, ct);
        }

        return false;
    }
}
