using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Quotas;
using Portal.Residency;
using Portal.Runtimes;
using Portal.Runtimes.Kubernetes;
using Portal.Tenancy;

namespace Portal.Deployments;

/// <summary>
/// Desired state of deployments. The wizard, the management API and the CLI all come through here, so they apply the
/// one validator in Core; the reconciler makes the replicas follow.
/// </summary>
public sealed class DeploymentService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantChangeRunner changes,
    ModelCatalog catalog,
    IOptions<GpuPricing> pricing,
    IOptions<KubernetesRuntimeOptions> kubernetes,
    IBackgroundJobClient jobs,
    IResidencyLocks residency,
    WeightCredentialService weightCredentials,
    QuotaService quotas,
    TimeProvider clock)
{
    /// <summary>The audit action of a deployment refused because its region lies outside the effective lock.</summary>
    public const string ResidencyRefusedAction = "residency.deploy_refused";

    private static readonly ChangePermission Permission =
        new(AccessPolicy.CanChange, "Deploying and changing deployments is for TenantAdmin and Developer");

    public async Task<DeploymentValidationResult> ValidateAsync(Guid tenantId, DeploymentSpec spec, Guid? existing = null, CancellationToken ct = default) =>
        DeploymentValidator.Validate(spec, catalog, await ValidationContextAsync(tenantId, existing, ct));

    /// <summary>
    /// What the validator needs to know about the tenant: names in use and the allowed regions — the tenant's residency
    /// policy for a new deployment, the effective lock (policy ∩ locks of the endpoints routing to it) for an existing one.
    /// </summary>
    public async Task<DeploymentValidationContext> ValidationContextAsync(Guid tenantId, Guid? existing = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.Deployments.Where(d => d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted && d.Id != existing)
            .Select(d => d.Name).ToListAsync(ct);
        names.AddRange(await db.Endpoints.Where(e => e.TenantId == tenantId && !db.Deployments.Any(d => d.Id == existing && d.Name == e.Name))
            .Select(e => e.Name).ToListAsync(ct));
        return new DeploymentValidationContext
        {
            AllowedRegions = existing is { } id
                ? await residency.AllowedRegionsForDeploymentAsync(tenantId, id, ct)
                : await residency.AllowedRegionsForTenantAsync(tenantId, ct),
            NamesInUse = names.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
            StoredWeightCredentials = await weightCredentials.StoredKindsAsync(tenantId, ct),
            Quota = await quotas.ForDeploymentAsync(tenantId, existing, ct),
        };
    }

    /// <summary>The price per GPU-hour for a GPU type in a region, from configuration.</summary>
    public decimal? PricePerGpuHour(string gpuType, string region) => pricing.Value.Find(gpuType, region);

    public Task<ServiceResult<DeploymentView>> CreateAsync(Caller caller, Guid tenantId, DeploymentSpec spec, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "deployment.create", spec.Name), async db =>
        {
            var validation = await ValidateAsync(tenantId, spec, ct: ct);
            var price = validation.Deployment is { } ok ? PricePerGpuHour(ok.Gpu.Id, ok.Region.Id) : null;
            if (!validation.IsValid || price is null)
            {
                var errors = validation.IsValid
                    ? new Dictionary<string, string[]> { [DeploymentFields.GpuType] = [$"No price per GPU-hour is configured for {spec.GpuType} in {spec.Region}."] }
                    : validation.ToProblemErrors();
                var allowed = await residency.AllowedRegionsForTenantAsync(tenantId, ct);
                var outsideLock = allowed is not null && catalog.FindRegion(spec.Region) is { } region && !RegionLock.Allows(allowed, region.Id);
                var refusal = outsideLock
                    ? new ChangeRecord(ResidencyRefusedAction, new { region = spec.Region, allowed = allowed!.Order().ToList() })
                    : new ChangeRecord("deployment.create");
                return ChangeOutcome.RefuseOnRecord(ServiceResult<DeploymentView>.Invalid(errors), outsideLock ? AuditOutcome.Denied : AuditOutcome.Failure,
                    refusal with { ResourceId = spec.Name ?? "" });
            }

            var resolved = validation.Deployment!;
            var now = clock.GetUtcNow();
            var deployment = new Deployment
            {
                TenantId = tenantId,
                Name = resolved.Name,
                SpecJson = DeploymentSpecJson.Serialize(spec),
                ModelDisplayName = resolved.ModelDisplayName,
                ServedModelName = resolved.ServedModelName,
                Engine = EngineNames.Display(resolved.Engine),
                GpuType = resolved.Gpu.Id,
                GpusPerReplica = resolved.GpusPerReplica,
                BaselineReplicas = resolved.BaselineReplicas,
                MaxReplicas = resolved.MaxReplicas,
                DesiredReplicas = resolved.BaselineReplicas,
                Region = resolved.Region.Id,
                PricePerGpuHour = price.Value,
                Status = DeploymentStatus.Pending,
                CreatedAt = now,
                UpdatedAt = now,
                CreatedBy = caller.Name,
            };
            var target = new Target
            {
                TenantId = tenantId, Name = $"{resolved.Name} (dedicated)", Kind = TargetKind.Dedicated, DeploymentId = deployment.Id,
                Region = resolved.Region.Id, CreatedAt = now,
            };
            var endpoint = new InferenceEndpoint { TenantId = tenantId, Name = resolved.Name, PrimaryTargetId = target.Id, CreatedAt = now };

            db.Deployments.Add(deployment);
            db.Targets.Add(target);
            db.Endpoints.Add(endpoint);
            db.DeploymentEvents.Add(Event(deployment, null, "deployment.created", $"Deployment created by {caller.Name}: {resolved.BaselineReplicas} × {resolved.GpusPerReplica} × {resolved.Gpu.DisplayName} in {resolved.Region.DisplayName}."));
            var record = new ChangeRecord("deployment.created", new
            {
                name = deployment.Name, model = deployment.ModelDisplayName, engine = deployment.Engine, gpu = deployment.GpuType,
                gpusPerReplica = deployment.GpusPerReplica, baseline = deployment.BaselineReplicas, max = deployment.MaxReplicas,
                region = deployment.Region, pricePerGpuHour = deployment.PricePerGpuHour,
            })
            {
                ResourceId = deployment.Id.ToString(),
            };
            return ChangeOutcome.Save(record, ReconcileThen(deployment)) with
            {
                WhenSaveFails = _ => ServiceResult<DeploymentView>.Invalid(DeploymentFields.Name, $"The name {resolved.Name} is already in use."),
            };
        }, ct);

    public async Task<ServiceResult<IReadOnlyList<DeploymentView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<DeploymentView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployments = await db.Deployments.AsNoTracking().Include(d => d.Replicas)
            .Where(d => d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted)
            .OrderBy(d => d.Name).ToListAsync(ct);
        var now = clock.GetUtcNow();
        return ServiceResult<IReadOnlyList<DeploymentView>>.Ok(deployments.Select(d => DeploymentView.From(d, now)).ToList());
    }

    public async Task<ServiceResult<DeploymentDetailView>> GetAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<DeploymentDetailView>.NotFound("No such deployment.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployment = await db.Deployments.AsNoTracking().Include(d => d.Replicas)
            .SingleOrDefaultAsync(d => d.Id == id && d.TenantId == tenantId, ct);
        if (deployment is null)
        {
            return ServiceResult<DeploymentDetailView>.NotFound("No such deployment.");
        }

        var events = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id)
            .OrderByDescending(e => e.Id).Take(100).Select(e => new DeploymentEventView(e.At, e.Kind, e.Message)).ToListAsync(ct);
        var replicas = deployment.Replicas.Where(r => r.Phase != ReplicaPhase.Stopped).OrderBy(r => r.CreatedAt)
            .Select(r => new ReplicaView(r.Id, r.Phase.ToString(), r.Region, r.IsBurst, r.UsesSimulator, r.BaseUrl, r.Restarts, r.Detail,
                r.CreatedAt, r.ReadyAt, r.PhaseChangedAt)).ToList();
        var (command, manifest) = Render(deployment);
        return ServiceResult<DeploymentDetailView>.Ok(new DeploymentDetailView(
            DeploymentView.From(deployment, clock.GetUtcNow()), replicas, events, command, manifest));
    }

    /// <summary>The engine command line and Kubernetes manifest of a deployment, as the review step shows them.</summary>
    public (string CommandLine, string Manifest) Render(ResolvedDeployment resolved, Guid tenantId, Guid deploymentId, int replicas)
    {
        // Each replica gets its own key; the line shows that one is passed, never a value.
        var command = EngineCommandLine.Render(resolved, apiKey: ReplicaSecret.Redacted).ToShellString();
        var launch = new ReplicaLaunch { TenantId = tenantId, DeploymentId = deploymentId, Deployment = resolved };
        return (command, KubernetesManifest.Build(launch, replicas, kubernetes.Value).ToYaml());
    }

    public async Task<ServiceResult<DeploymentView>> ScaleAsync(Caller caller, Guid tenantId, Guid id, ScaleRequest request, CancellationToken ct = default) =>
        await ChangeAsync(caller, tenantId, id, "deployment.scaled", async (deployment, db) =>
        {
            var spec = DeploymentSpecJson.Deserialize(deployment.SpecJson) with
            {
                BaselineReplicas = request.BaselineReplicas,
                MaxReplicas = request.MaxReplicas ?? Math.Max(deployment.MaxReplicas, request.BaselineReplicas),
            };
            var validation = await ValidateAsync(tenantId, spec, deployment.Id, ct);
            if (!validation.IsValid)
            {
                return validation.ToProblemErrors();
            }

            deployment.SpecJson = DeploymentSpecJson.Serialize(spec);
            deployment.BaselineReplicas = spec.BaselineReplicas;
            deployment.MaxReplicas = spec.MaxReplicas;
            if (deployment.Status != DeploymentStatus.Stopped)
            {
                deployment.DesiredReplicas = spec.BaselineReplicas;
            }

            return null;
        }, ct);

    public Task<ServiceResult<DeploymentView>> StopAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, id, "deployment.stopped", (deployment, _) =>
        {
            deployment.Status = DeploymentStatus.Stopped;
            deployment.DesiredReplicas = 0;
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    public Task<ServiceResult<DeploymentView>> StartAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, id, "deployment.started", (deployment, _) =>
        {
            deployment.Status = DeploymentStatus.Pending;
            deployment.DesiredReplicas = deployment.BaselineReplicas;
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    /// <summary>Replaces every replica: the reconciler drains the old ones and starts new ones.</summary>
    public Task<ServiceResult<DeploymentView>> RestartAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, id, "deployment.restarted", (deployment, _) =>
        {
            foreach (var replica in deployment.Replicas.Where(r => r.Phase is not (ReplicaPhase.Stopped or ReplicaPhase.Draining)))
            {
                replica.Phase = ReplicaPhase.Draining;
                replica.Detail = "Restart requested.";
                replica.PhaseChangedAt = clock.GetUtcNow();
            }

            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct);

    public Task<ServiceResult<DeploymentView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        ChangeAsync(caller, tenantId, id, "deployment.deleted", (deployment, _) =>
        {
            MarkDeleted(deployment);
            return Task.FromResult<Dictionary<string, string[]>?>(null);
        }, ct, alsoWrite: async (deployment, db) =>
        {
            // Endpoints served only by this deployment go; endpoints shadowing to it lose the shadow.
            var targets = await db.Targets.Where(t => t.DeploymentId == deployment.Id).Select(t => t.Id).ToListAsync(ct);
            await db.Endpoints.Where(e => targets.Contains(e.PrimaryTargetId) && e.SecondaryTargetId == null).ExecuteDeleteAsync(ct);
            await db.Endpoints.Where(e => e.SecondaryTargetId != null && targets.Contains(e.SecondaryTargetId.Value))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.SecondaryTargetId, (Guid?)null).SetProperty(e => e.ShadowShare, 0), ct);
        });

    /// <summary>What deleting does to the desired state: no replicas; the reconciler stops the running ones.</summary>
    private static void MarkDeleted(Deployment deployment)
    {
        deployment.Status = DeploymentStatus.Deleted;
        deployment.DesiredReplicas = 0;
    }

    /// <summary>
    /// Offboarding: every deployment of the tenant is deleted as <see cref="DeleteAsync"/> deletes one, and every endpoint of
    /// the tenant goes. Writes on <paramref name="db"/> inside the caller's transaction; after committing, the caller hands
    /// the returned ids to <see cref="ReconcileSoon"/> so the reconciler stops their replicas.
    /// </summary>
    internal async Task<IReadOnlyList<Guid>> DeleteAllOfTenantAsync(PortalDbContext db, Guid tenantId, string actor, CancellationToken ct)
    {
        var deployments = await db.Deployments.Where(d => d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted).ToListAsync(ct);
        foreach (var deployment in deployments)
        {
            MarkDeleted(deployment);
            deployment.UpdatedAt = clock.GetUtcNow();
            deployment.ConcurrencyStamp = Guid.NewGuid();
            db.DeploymentEvents.Add(Event(deployment, null, "deployment.deleted", $"deleted with the tenant by {actor}."));
        }

        await db.SaveChangesAsync(ct);
        return deployments.Select(d => d.Id).ToList();
    }

    internal void ReconcileSoon(IEnumerable<Guid> deploymentIds)
    {
        foreach (var id in deploymentIds)
        {
            jobs.Enqueue<DeploymentReconciler>(r => r.ReconcileAsync(id, CancellationToken.None));
        }
    }

    private Task<ServiceResult<DeploymentView>> ChangeAsync(
        Caller caller, Guid tenantId, Guid id, string action,
        Func<Deployment, PortalDbContext, Task<Dictionary<string, string[]>?>> change, CancellationToken ct = default,
        Func<Deployment, PortalDbContext, Task>? alsoWrite = null) =>
        changes.RunAsync(Change(caller, tenantId, action, id.ToString()),
            deployments => deployments.Include(d => d.Replicas).Where(d => d.Id == id && d.Status != DeploymentStatus.Deleted), "No such deployment.",
            async (Deployment deployment, PortalDbContext db) =>
            {
                var before = Snapshot(deployment);
                if (await change(deployment, db) is { } errors)
                {
                    return ChangeOutcome.RefuseOnRecord(ServiceResult<DeploymentView>.Invalid(errors));
                }

                deployment.UpdatedAt = clock.GetUtcNow();
                deployment.ConcurrencyStamp = Guid.NewGuid();
                db.DeploymentEvents.Add(Event(deployment, null, action, $"{action.Split('.')[1].Replace('_', ' ')} by {caller.Name}."));
                return ChangeOutcome.Save(new ChangeRecord(action, new { name = deployment.Name, before, after = Snapshot(deployment) }), ReconcileThen(deployment)) with
                {
                    // Rows written beside the deployment (delete's endpoints) share its transaction: they stay untouched
                    // when the deployment's own save loses a race and answers 409.
                    AlsoWrite = alsoWrite is null ? null : writeDb => alsoWrite(deployment, writeDb),
                    WhenSaveFails = e => e is DbUpdateConcurrencyException
                        ? ServiceResult<DeploymentView>.Conflict("The deployment changed meanwhile; reload and try again.")
                        : null,
                };
            }, ct);

    /// <summary>Once the desired state is committed, the reconciler makes the replicas follow it.</summary>
    private Func<Task<ServiceResult<DeploymentView>>> ReconcileThen(Deployment deployment) => () =>
    {
        jobs.Enqueue<DeploymentReconciler>(r => r.ReconcileAsync(deployment.Id, CancellationToken.None));
        return Task.FromResult(ServiceResult<DeploymentView>.Ok(DeploymentView.From(deployment, clock.GetUtcNow())));
    };

    private (string CommandLine, string Manifest) Render(Deployment deployment)
    {
        var validation = DeploymentValidator.Validate(DeploymentSpecJson.Deserialize(deployment.SpecJson), catalog, DeploymentValidationContext.Unrestricted);
        return validation.Deployment is { } resolved
            ? Render(resolved, deployment.TenantId, deployment.Id, deployment.BaselineReplicas)
            : ("", "");
    }

    private static object Snapshot(Deployment d) =>
        new { status = d.Status.ToString(), baseline = d.BaselineReplicas, max = d.MaxReplicas, desired = d.DesiredReplicas };

    private DeploymentEvent Event(Deployment deployment, Guid? replicaId, string kind, string message) => new()
    {
        DeploymentId = deployment.Id, TenantId = deployment.TenantId, ReplicaId = replicaId, At = clock.GetUtcNow(), Kind = kind, Message = message,
    };

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, "deployment", resource);
}
