using System.Net.Http.Headers;
using System.Net.Http.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Scaling;
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
public sealed class DeploymentReconciler(
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
    ReplicaKeys replicaKeys,
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

    /// <summary>One pass; true when the deployment has converged.</summary>
    private async Task<bool> ReconcileOnceAsync(Guid deploymentId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployment = await db.Deployments.Include(d => d.Replicas).SingleOrDefaultAsync(d => d.Id == deploymentId, ct);
        if (deployment is null)
        {
            return true;
        }

        var now = clock.GetUtcNow();
        var mayPlace = await MayPlaceAsync(db, deployment, now, ct);
        var live = deployment.Replicas.Where(r => r.Phase != ReplicaPhase.Stopped).ToList();
        var running = (await runtime.ListReplicasAsync(deploymentId, ct)).ToDictionary(h => h.ReplicaId);

        // Adopt: the runtime runs a replica the database does not know (the portal died after starting it).
        foreach (var handle in running.Values.Where(h => live.All(r => r.RuntimeReplicaId != h.ReplicaId)))
        {
            var pending = live.FirstOrDefault(r => r.RuntimeReplicaId is null);
            var replica = pending ?? NewReplica(db, deployment, now, replicaKeys.NewProtected());
            Attach(replica, handle);
            Transition(db, deployment, replica, ReplicaPhase.Starting, now, "Adopted a replica the runtime was already running.");
            if (pending is null)
            {
                live.Add(replica);
            }
        }

        ResolvedDeployment? resolved = null;
        int? drainTimeout = null;
        var draining = 0;
        foreach (var replica in live.ToList())
        {
            if (replica.Phase == ReplicaPhase.Draining)
            {
                live.Remove(replica);
                drainTimeout ??= await drainer.TimeoutSecondsAsync(db, deployment.Id, ct);
                var (verdict, message) = drainer.Judge(replica, drainTimeout.Value);
                if (verdict == DrainVerdict.Wait)
                {
                    draining++;
                    continue;
                }

                Record(db, deployment, replica, verdict == DrainVerdict.TimedOut ? "replica.drain_timeout" : "replica.drained", message, now);
                await StopAsync(db, deployment, replica, running, now, ct);
                continue;
            }

            if (replica.RuntimeReplicaId is null || !running.TryGetValue(replica.RuntimeReplicaId, out var handle))
            {
                if (replica.RuntimeReplicaId is not null)
                {
                    // It was running and is gone: a crash. Start a replacement in its place.
                    replica.Restarts++;
                    Record(db, deployment, replica, "replica.exited", $"Replica process exited unexpectedly (restart #{replica.Restarts}).", now);
                    replica.RuntimeReplicaId = null;
                    replica.ReadyAt = null;
                }

                if (mayPlace && deployment.DesiredReplicas > 0 && live.Count(r => r.RuntimeReplicaId is not null) < deployment.DesiredReplicas)
                {
                    resolved ??= Resolve(deployment);
                    await StartAsync(db, deployment, replica, resolved, now, ct);
                }

                continue;
            }

            var status = await runtime.GetStatusAsync(handle with { ApiKey = replicaKeys.Reveal(replica) }, ct);
            switch (status.State)
            {
                case ReplicaState.Starting:
                    Transition(db, deployment, replica, ReplicaPhase.Starting, now, status.Detail);
                    break;
                case ReplicaState.LoadingWeights:
                    Transition(db, deployment, replica, ReplicaPhase.LoadingWeights, now, status.Detail);
                    break;
                case ReplicaState.Ready when replica.Phase != ReplicaPhase.Ready:
                    Transition(db, deployment, replica, ReplicaPhase.Warming, now, "Weights loaded; sending a pre-warm request.");
                    await db.SaveChangesAsync(ct);
                    if (await PrewarmAsync(replica, deployment, ct))
                    {
                        replica.ReadyAt = clock.GetUtcNow();
                        Transition(db, deployment, replica, ReplicaPhase.Ready, clock.GetUtcNow(), "Ready: pre-warm request answered.");
                    }

                    break;
                case ReplicaState.Failed or ReplicaState.NotFound:
                    replica.Restarts++;
                    Record(db, deployment, replica, "replica.failed", $"Replica failed: {status.Detail} (restart #{replica.Restarts}).", now);
                    await runtime.StopReplicaAsync(handle, ct);
                    replica.RuntimeReplicaId = null;
                    Transition(db, deployment, replica, ReplicaPhase.Pending, now, status.Detail);
                    break;
            }
        }

        // Scale: start missing replicas (past the baseline, burst ones), retire extras (never-ready first, then burst,
        // then newest): a Ready one drains, one that never took traffic stops at once.
        var active = live.Where(r => r.Phase != ReplicaPhase.Stopped).ToList();
        for (var missing = mayPlace ? deployment.DesiredReplicas - active.Count : 0; missing > 0; missing--)
        {
            var isBurst = active.Count(r => !r.IsBurst) >= deployment.BaselineReplicas;
            var region = isBurst ? await burst.ChooseRegionAsync(db, deployment, ct) : deployment.Region;
            if (region is null)
            {
                Record(db, deployment, null, "burst.unavailable",
                    $"No burst pool in an allowed region has {deployment.GpusPerReplica} × {deployment.GpuType} free; staying at {active.Count}.", now);
                deployment.DesiredReplicas = active.Count;
                break;
            }

            resolved ??= Resolve(deployment);
            var replica = NewReplica(db, deployment, now, replicaKeys.NewProtected(), region, isBurst);
            active.Add(replica);
            await StartAsync(db, deployment, replica, resolved, now, ct);
        }

        foreach (var extra in active.OrderBy(r => r.Phase == ReplicaPhase.Ready).ThenByDescending(r => r.IsBurst).ThenByDescending(r => r.CreatedAt)
                     .Take(Math.Max(0, active.Count - deployment.DesiredReplicas)).ToList())
        {
            if (extra.Phase == ReplicaPhase.Ready)
            {
                Transition(db, deployment, extra, ReplicaPhase.Draining, now, "Draining: no new requests; waiting for the streams in flight.");
                draining++;
            }
            else
            {
                await StopAsync(db, deployment, extra, running, now, ct);
            }

            active.Remove(extra);
        }

        if (deployment.DesiredReplicas == 0 && deployment.Status == DeploymentStatus.Deleted)
        {
            await runtime.RemoveDeploymentAsync(deployment.Id, ct);
        }

        var ready = active.Count(r => r.Phase == ReplicaPhase.Ready);
        var status2 = deployment.Status switch
        {
            DeploymentStatus.Stopped or DeploymentStatus.Deleted => deployment.Status,
            _ when ready >= deployment.BaselineReplicas => DeploymentStatus.Ready,
            _ when ready > 0 => DeploymentStatus.Degraded,
            _ => DeploymentStatus.Deploying,
        };
        if (status2 != deployment.Status)
        {
            Record(db, deployment, null, "deployment.status", $"Deployment is {status2}.", now);
            deployment.Status = status2;
        }

        await db.SaveChangesAsync(ct);
        return draining == 0 && active.Count == deployment.DesiredReplicas && active.All(r => r.Phase == ReplicaPhase.Ready);
    }

    private ResolvedDeployment Resolve(Deployment deployment) =>
        DeploymentValidator.Validate(DeploymentSpecJson.Deserialize(deployment.SpecJson), catalog, DeploymentValidationContext.Unrestricted)
            .Deployment ?? throw new InvalidOperationException($"The stored spec of deployment {deployment.Id} no longer validates.");

    private async Task StartAsync(PortalDbContext db, Deployment deployment, Replica replica, ResolvedDeployment resolved, DateTimeOffset now, CancellationToken ct)
    {
        // Saved first as Starting with no runtime id: if the portal dies during the launch, the next pass adopts the
        // process into this row instead of starting a second one. A row from before replicas had keys gets one now.
        replica.ProtectedApiKey ??= replicaKeys.NewProtected();
        Transition(db, deployment, replica, ReplicaPhase.Starting, now, "Starting.");
        await db.SaveChangesAsync(ct);
        try
        {
            var handle = await runtime.StartReplicaAsync(new ReplicaLaunch
            {
                TenantId = deployment.TenantId, DeploymentId = deployment.Id,
                Deployment = replica.Region == resolved.Region.Id ? resolved : resolved with { Region = catalog.GetRegion(replica.Region) },
                ApiKey = replicaKeys.Reveal(replica),
            }, ct);
            Attach(replica, handle);
            Record(db, deployment, replica, "replica.started", handle.Note ?? $"Started on {runtime.Kind}: {handle.BaseUri}", now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Starting a replica of {Deployment} failed.", deployment.Id);
            replica.Restarts++;
            Transition(db, deployment, replica, ReplicaPhase.Failed, now, e.Message);
            replica.Phase = ReplicaPhase.Pending;
        }
    }

    private async Task StopAsync(PortalDbContext db, Deployment deployment, Replica replica, IReadOnlyDictionary<string, ReplicaHandle> running,
        DateTimeOffset now, CancellationToken ct)
    {
        if (replica.RuntimeReplicaId is not null && running.TryGetValue(replica.RuntimeReplicaId, out var handle))
        {
            await runtime.StopReplicaAsync(handle, ct);
        }

        replica.StoppedAt = now;
        Transition(db, deployment, replica, ReplicaPhase.Stopped, now, "Stopped.");
    }

    private async Task<bool> PrewarmAsync(Replica replica, Deployment deployment, CancellationToken ct)
    {
        try
        {
            using var client = httpClients.CreateClient(nameof(DeploymentReconciler));
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(replica.BaseUrl!), "v1/chat/completions"))
            {
                Content = JsonContent.Create(new
                {
                    model = deployment.ServedModelName,
                    messages = new[] { new { role = "user", content = "warm-up" } },
                    max_tokens = 1,
                }),
            };
            if (replicaKeys.Reveal(replica) is { } apiKey)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await client.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            logger.LogInformation("Pre-warm of replica {Replica} not answered yet: {Message}", replica.Id, e.Message);
            return false;
        }
    }

    /// <summary>
    /// Whether the deployment's home region lies inside its effective region lock. When it does not, nothing is
    /// placed (never a foreign region); the refusal is recorded and audited once per streak, not on every pass.
    /// </summary>
    private async Task<bool> MayPlaceAsync(PortalDbContext db, Deployment deployment, DateTimeOffset now, CancellationToken ct)
    {
        var allowed = await residency.AllowedRegionsForDeploymentAsync(deployment.TenantId, deployment.Id, ct);
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

    private static Replica NewReplica(
        PortalDbContext db, Deployment deployment, DateTimeOffset now, string protectedApiKey, string? region = null, bool isBurst = false)
    {
        var replica = new Replica
        {
            DeploymentId = deployment.Id, TenantId = deployment.TenantId, Region = region ?? deployment.Region, IsBurst = isBurst,
            ProtectedApiKey = protectedApiKey,
            Phase = ReplicaPhase.Pending,
            CreatedAt = now, PhaseChangedAt = now,
        };
        db.Replicas.Add(replica);
        return replica;
    }

    private static void Attach(Replica replica, ReplicaHandle handle)
    {
        replica.RuntimeReplicaId = handle.ReplicaId;
        replica.BaseUrl = handle.BaseUri?.ToString();
        replica.ProcessId = handle.ProcessId;
        replica.UsesSimulator = handle.UsesSimulator;
    }

    private void Transition(PortalDbContext db, Deployment deployment, Replica replica, ReplicaPhase phase, DateTimeOffset now, string? detail)
    {
        if (replica.Phase == phase)
        {
            return;
        }

        Record(db, deployment, replica, "replica." + phase.ToString().ToLowerInvariant(), $"{replica.Phase} → {phase}{(detail is null ? "" : ": " + detail)}", now);
        replica.Phase = phase;
        replica.PhaseChangedAt = now;
        replica.Detail = detail is { Length: > 1000 } ? detail[..1000] : detail;
    }

    private static void Record(PortalDbContext db, Deployment deployment, Replica? replica, string kind, string message, DateTimeOffset now) =>
        db.DeploymentEvents.Add(new DeploymentEvent
        {
            DeploymentId = deployment.Id, TenantId = deployment.TenantId, ReplicaId = replica?.Id, At = now, Kind = kind,
            Message = message.Length > 1000 ? message[..1000] : message,
        });
}
