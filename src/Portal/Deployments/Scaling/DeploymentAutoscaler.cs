using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Deployments;
using Portal.Core.Scaling;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Routing;

namespace Portal.Deployments;

/// <summary>
/// Looks at every running deployment that may burst (maximum above baseline) every few seconds: load is what this
/// process's gateway has in flight on the deployment's Ready replicas. <see cref="Autoscaler.Decide"/> in Core makes the
/// decision; a change moves the desired replicas one step, is kept as a <see cref="ScaleEvent"/> with its metric,
/// audited, and handed to the reconciler (which starts burst replicas or drains extras).
/// </summary>
public sealed class DeploymentAutoscaler(
    IServiceScopeFactory scopes,
    IDbContextFactory<PortalDbContext> dbFactory,
    GatewayLoad load,
    BurstPlacement burst,
    IBackgroundJobClient jobs,
    IOptions<AutoscaleOptions> options,
    TimeProvider clock,
    ILogger<DeploymentAutoscaler> logger) : BackgroundService
{
    private static readonly DeploymentStatus[] Running = [DeploymentStatus.Pending, DeploymentStatus.Deploying, DeploymentStatus.Ready, DeploymentStatus.Degraded];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await LookAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "An autoscaler look failed; trying again at the next tick.");
            }
        }
    }

    public async Task LookAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployments = await db.Deployments.Include(d => d.Replicas.Where(r => r.Phase != ReplicaPhase.Stopped))
            .Where(d => Running.Contains(d.Status) && d.MaxReplicas > d.BaselineReplicas).ToListAsync(ct);
        var ids = deployments.Select(d => d.Id).ToList();
        var settings = await db.AutoscaleSettings.Where(s => ids.Contains(s.DeploymentId)).ToDictionaryAsync(s => s.DeploymentId, ct);
        var changes = new List<(Deployment Deployment, int From, ScaleDecision Decision)>();
        var now = clock.GetUtcNow();
        foreach (var deployment in deployments)
        {
            if (!settings.TryGetValue(deployment.Id, out var row))
            {
                row = new AutoscaleSettings { DeploymentId = deployment.Id, TenantId = deployment.TenantId, UpdatedAt = now };
                AutoscalePolicyView.Default.ApplyTo(row);
                db.AutoscaleSettings.Add(row);
            }

            var policy = AutoscalePolicyView.From(row);
            var decision = Autoscaler.Decide(policy.ToPolicy(), new AutoscaleState(row.HighSince, row.QuietSince, row.LastChangeAt),
                Observe(deployment, now), deployment.DesiredReplicas, deployment.BaselineReplicas, deployment.MaxReplicas);
            if (decision.Direction == ScaleDirection.Out && decision.Desired > deployment.BaselineReplicas
                && await burst.ChooseRegionAsync(db, deployment, ct) is null)
            {
                // No burst pool has room: keep the load's history and ask again at the next look, without a change.
                row.HighSince ??= now;
                continue;
            }

            (row.HighSince, row.QuietSince, row.LastChangeAt) = (decision.State.HighSince, decision.State.QuietSince, decision.State.LastChangeAt);
            if (decision.Direction == ScaleDirection.Hold)
            {
                continue;
            }

            changes.Add((deployment, deployment.DesiredReplicas, decision));
            db.ScaleEvents.Add(new ScaleEvent
            {
                DeploymentId = deployment.Id, TenantId = deployment.TenantId, At = now, FromReplicas = deployment.DesiredReplicas,
                ToReplicas = decision.Desired, Reason = Trim(decision.Reason),
                LoadPerReplica = double.IsFinite(decision.LoadPerReplica) ? decision.LoadPerReplica : null,
                PolicyJson = JsonSerializer.Serialize(policy, AuditLog.DetailsJson),
            });
            db.DeploymentEvents.Add(new DeploymentEvent
            {
                DeploymentId = deployment.Id, TenantId = deployment.TenantId, At = now, Kind = "deployment.autoscaled", Message = Trim(decision.Reason),
            });
            deployment.DesiredReplicas = decision.Desired;
            deployment.UpdatedAt = now;
            deployment.ConcurrencyStamp = Guid.NewGuid();
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // A person scaled, stopped or deleted meanwhile (or another instance looked at the same moment): their
            // change wins, and the next look starts from it.
            logger.LogInformation("Autoscaler decisions not saved, a deployment changed meanwhile: {Message}", e.Message);
            return;
        }

        if (changes.Count > 0)
        {
            await RecordAsync(changes, ct);
        }
    }

    private LoadObservation Observe(Deployment deployment, DateTimeOffset now)
    {
        var ready = deployment.Replicas.Where(r => r.Phase == ReplicaPhase.Ready).ToList();
        var starting = deployment.Replicas.Count(r => r.Phase is ReplicaPhase.Pending or ReplicaPhase.Starting or ReplicaPhase.LoadingWeights or ReplicaPhase.Warming);
        return new LoadObservation(now, ready.Sum(r => load.InFlightOn(r.Id.ToString())), ready.Count, starting);
    }

    private async Task RecordAsync(List<(Deployment Deployment, int From, ScaleDecision Decision)> changes, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var auditLog = scope.ServiceProvider.GetRequiredService<AuditLog>();
        foreach (var (deployment, from, decision) in changes)
        {
            await auditLog.RecordAnonymousAsync("autoscaler", "Autoscaler", deployment.TenantId, "deployment.autoscaled", "deployment",
                deployment.Id.ToString(), AuditOutcome.Success, Trim(decision.Reason),
                new { name = deployment.Name, before = new { desired = from }, after = new { desired = decision.Desired } }, ct);
            jobs.Enqueue<DeploymentReconciler>(r => r.ReconcileAsync(deployment.Id, CancellationToken.None));
        }
    }

    private static string Trim(string text) => text.Length > 1000 ? text[..1000] : text;
}
