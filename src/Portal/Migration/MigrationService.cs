using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Sizing;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Deployments;
using Portal.Identity;
using Portal.Inference;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Migration;

/// <summary>
/// What "Start migration" proposes for a serverless-primary endpoint: the smallest configuration that fits its model
/// inside the tenant's region lock, and the share of traffic to shadow to it once deployed.
/// </summary>
public sealed record MigrationPlan(
    Guid EndpointId,
    string EndpointName,
    string ModelDisplayName,
    DeploymentSpec Spec,
    string Configuration,
    decimal? MonthlyCostUsd,
    IReadOnlyList<string>? AllowedRegions,
    double ShadowShare);

/// <summary>
/// Starting a migration: plan the dedicated deployment for a serverless endpoint, then deploy it and make it the
/// endpoint's shadow target. Deploying and shadowing go through <see cref="DeploymentService"/> and
/// <see cref="EndpointService"/>, so they are checked and audited exactly as when done by hand.
/// </summary>
public sealed class MigrationService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantGuard guard,
    ModelCatalog catalog,
    IOptions<GpuPricing> pricing,
    IResidencyLocks residency,
    DeploymentService deployments,
    EndpointService endpoints)
{
    public const double MinShadowShare = 0.10;
    public const double MaxShadowShare = 0.20;
    public const double DefaultShadowShare = MinShadowShare;

    public async Task<ServiceResult<MigrationPlan>> PlanAsync(Caller caller, Guid tenantId, Guid endpointId, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<MigrationPlan>(caller, tenantId, AccessPolicy.CanChange, "Starting a migration is for TenantAdmin and Developer",
                "endpoint.migration", "endpoint", endpointId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoint = await db.Endpoints.AsNoTracking().Include(e => e.PrimaryTarget)
            .SingleOrDefaultAsync(e => e.Id == endpointId && e.TenantId == tenantId, ct);
        if (endpoint?.PrimaryTarget is not { } primary)
        {
            return ServiceResult<MigrationPlan>.NotFound("No such endpoint.");
        }

        if (primary.Kind != TargetKind.Serverless)
        {
            return ServiceResult<MigrationPlan>.Invalid("endpoint", $"{endpoint.Name} is already served by a dedicated deployment.");
        }

        if ((FindModel(primary.UpstreamModel) ?? FindModel(endpoint.Name)) is not { } model)
        {
            return ServiceResult<MigrationPlan>.Invalid("model",
                $"The serverless model '{primary.UpstreamModel}' is not in the catalog; deploy its weights from the wizard (bring your own) and set it as the shadow target.");
        }

        var allowed = await residency.AllowedRegionsForTenantAsync(tenantId, ct);
        var runtime = catalog.DefaultRuntime(model.Architecture);
        var smallest = ConfigurationSearch.FindSmallest(model.DisplayName, model.Architecture, runtime, catalog, allowed?.ToList(), pricing.Value);
        if (smallest is null)
        {
            return ServiceResult<MigrationPlan>.Invalid("region", allowed is null
                ? $"No GPU configuration of the catalog fits {model.DisplayName}."
                : $"No region of this organisation's region lock ({string.Join(", ", allowed.Order())}) offers a configuration that fits {model.DisplayName}.");
        }

        var region = ChooseRegion(smallest, primary.Region);
        var namesInUse = (await deployments.ValidationContextAsync(tenantId, ct: ct)).NamesInUse;
        var spec = new DeploymentSpec
        {
            Name = FreeName(endpoint.Name, namesInUse),
            Model = ModelReference.FromCatalog(model.Id),
            Runtime = runtime,
            GpuType = smallest.Gpu.Id,
            GpusPerReplica = smallest.GpusPerReplica,
            BaselineReplicas = 1,
            MaxReplicas = 1,
            Region = region,
        };
        var price = pricing.Value.Find(smallest.Gpu.Id, region);
        return ServiceResult<MigrationPlan>.Ok(new MigrationPlan(endpoint.Id, endpoint.Name, model.DisplayName, spec, smallest.ToString(),
            price is null ? null : CostCalculator.DedicatedMonthlyUsd(1, smallest.GpusPerReplica, price.Value),
            allowed?.Order(StringComparer.Ordinal).ToList(), DefaultShadowShare));
    }

    /// <summary>Deploys <paramref name="spec"/> and shadows <paramref name="shadowShare"/> of the endpoint's traffic to it.</summary>
    public async Task<ServiceResult<DeploymentView>> StartAsync(
        Caller caller, Guid tenantId, Guid endpointId, DeploymentSpec spec, double shadowShare, CancellationToken ct = default)
    {
        if (shadowShare is < MinShadowShare or > MaxShadowShare || double.IsNaN(shadowShare))
        {
            return ServiceResult<DeploymentView>.Invalid("shadowShare",
                $"A migration starts by shadowing between {MinShadowShare:P0} and {MaxShadowShare:P0} of the traffic.");
        }

        var plan = await PlanAsync(caller, tenantId, endpointId, ct);
        if (!plan.Succeeded)
        {
            return new ServiceResult<DeploymentView>(plan.Status, null, plan.Message, plan.Errors);
        }

        if (plan.Value!.AllowedRegions is { } allowed && !allowed.Contains(spec.Region, StringComparer.OrdinalIgnoreCase))
        {
            return ServiceResult<DeploymentView>.Invalid(DeploymentFields.Region,
                $"{spec.Region} is outside this organisation's region lock, which allows only {string.Join(", ", allowed)}.");
        }

        var created = await deployments.CreateAsync(caller, tenantId, spec, ct);
        if (!created.Succeeded)
        {
            return created;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var targetId = await db.Targets.Where(t => t.TenantId == tenantId && t.DeploymentId == created.Value!.Id).Select(t => t.Id).SingleAsync(ct);
        var shadowed = await endpoints.SetShadowAsync(caller, tenantId, endpointId, new ShadowRequest(shadowShare, targetId, null), ct);
        return shadowed.Succeeded ? created : new ServiceResult<DeploymentView>(shadowed.Status, null, shadowed.Message, shadowed.Errors);
    }

    private ModelDefinition? FindModel(string? name) => catalog.FindByIdOrRepository(name);

    // The serverless target's own region when the configuration is offered there (latency stays as it was), else the
    // cheapest allowed region, in catalog order.
    private string ChooseRegion(FitCandidate candidate, string? current) =>
        candidate.Regions.FirstOrDefault(r => string.Equals(r.Id, current, StringComparison.OrdinalIgnoreCase))?.Id
        ?? candidate.Regions.OrderBy(r => pricing.Value.Find(candidate.Gpu.Id, r.Id) ?? decimal.MaxValue).First().Id;

    /// <summary>"&lt;endpoint&gt;-dedicated" as a deployment name, numbered when taken.</summary>
    private static string FreeName(string endpointName, IReadOnlyCollection<string> namesInUse)
    {
        var label = new StringBuilder();
        foreach (var c in endpointName.ToLowerInvariant())
        {
            label.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        }

        var stem = label.ToString().Trim('-');
        stem = stem.Length == 0 || !char.IsAsciiLetter(stem[0]) ? "m-" + stem : stem;
        const string suffix = "-dedicated";
        stem = stem[..Math.Min(stem.Length, ModelLocations.NameMaxLength - suffix.Length - 3)].TrimEnd('-');
        var name = stem + suffix;
        for (var n = 2; namesInUse.Contains(name, StringComparer.OrdinalIgnoreCase); n++)
        {
            name = $"{stem}{suffix}-{n}";
        }

        return name;
    }
}
