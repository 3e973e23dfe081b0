using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Core.Residency;
using Portal.Core.Signals;
using Portal.Core.Sla;
using Portal.Core.Sizing;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Health;
using Portal.Identity;
using Portal.Migration;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Observability;

/// <summary>
/// The four migration signals of each endpoint, measured on the production traffic of its primary target over the
/// last 30 days, and <see cref="MigrationAdvisor"/>'s recommendation: move or stay for an endpoint served serverless;
/// keep, scale down or move back for one served dedicated. Read-only, scoped to the caller's tenant.
/// </summary>
public sealed class SignalsService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ModelCatalog catalog,
    IOptions<GpuPricing> pricing,
    IResidencyLocks residency,
    ProviderModels providerModels,
    TimeProvider clock)
{
    /// <summary>The gateway's own 429s (a key's concurrency limit, every replica at its bound) are not the upstream refusing.</summary>
    private const string UpstreamQueueFull = "upstream_queue_full";

    public static TimeWindow Window => TimeWindow.ThirtyDays;

    public async Task<ServiceResult<SignalsReport>> GetAsync(Caller caller, Guid tenantId, string model, CancellationToken ct = default)
    {
        if (!TtftService.CanRead(caller, tenantId))
        {
            return ServiceResult<SignalsReport>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoint = await Endpoints(db, tenantId).SingleOrDefaultAsync(e => e.Name == model, ct);
        return endpoint is null
            ? ServiceResult<SignalsReport>.NotFound($"No endpoint serves the model {model}.")
            : ServiceResult<SignalsReport>.Ok(await AssessAsync(db, endpoint, ct));
    }

    public async Task<ServiceResult<FleetReport>> FleetAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (!TtftService.CanRead(caller, tenantId))
        {
            return ServiceResult<FleetReport>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var models = new List<SignalsReport>();
        foreach (var endpoint in await Endpoints(db, tenantId).OrderBy(e => e.Name).ToListAsync(ct))
        {
            models.Add(await AssessAsync(db, endpoint, ct));
        }

        return ServiceResult<FleetReport>.Ok(new FleetReport(models));
    }

    /// <summary>
    /// Every endpoint of every tenant, for the recurring evaluation that tells each tenant when one of its signals
    /// changes; what it reads goes only to that tenant's own channels.
    /// </summary>
    public async Task<IReadOnlyList<(Guid TenantId, Guid EndpointId, SignalsReport Report)>> AssessEveryEndpointAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var reports = new List<(Guid, Guid, SignalsReport)>();
        foreach (var endpoint in await AllEndpoints(db).OrderBy(e => e.TenantId).ThenBy(e => e.Name).ToListAsync(ct))
        {
            reports.Add((endpoint.TenantId, endpoint.Id, await AssessAsync(db, endpoint, ct)));
        }

        return reports;
    }

    /// <summary>
    /// What a dry run's candidates are judged against afterwards: the prices of the endpoint's serverless target and its
    /// requirements as its migration page reads them now. For the dry-run job, which runs for the run's own tenant; null
    /// when the endpoint is gone.
    /// </summary>
    public async Task<(ServerlessPrices Prices, HardRequirements Requirements)?> EndpointFactsAsync(Guid tenantId, Guid endpointId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var endpoint = await Endpoints(db, tenantId).SingleOrDefaultAsync(e => e.Id == endpointId, ct);
        if (endpoint is null)
        {
            return null;
        }

        var to = clock.GetUtcNow();
        var serverless = ServerlessOf(endpoint);
        return (PricesOf(serverless), RequirementRule.Evaluate(await RequirementFactsAsync(db, endpoint, serverless, Window.StartFor(to), to, ct)));
    }

    private static Target? ServerlessOf(InferenceEndpoint endpoint) =>
        new[] { endpoint.PrimaryTarget, endpoint.SecondaryTarget }.FirstOrDefault(t => t?.Kind == TargetKind.Serverless);

    private static ServerlessPrices PricesOf(Target? serverless) =>
        new(serverless?.InputPricePerMillion ?? 0, serverless?.OutputPricePerMillion ?? 0);

    private static IQueryable<InferenceEndpoint> Endpoints(PortalDbContext db, Guid tenantId) => AllEndpoints(db).Where(e => e.TenantId == tenantId);

    private static IQueryable<InferenceEndpoint> AllEndpoints(PortalDbContext db) => db.Endpoints.AsNoTracking()
        .Include(e => e.PrimaryTarget).ThenInclude(t => t!.Deployment).ThenInclude(d => d!.Replicas)
        .Include(e => e.SecondaryTarget).ThenInclude(t => t!.Deployment).ThenInclude(d => d!.Replicas)
        .AsSplitQuery();

    private async Task<SignalsReport> AssessAsync(PortalDbContext db, InferenceEndpoint endpoint, CancellationToken ct)
    {
        var to = clock.GetUtcNow();
        var from = Window.StartFor(to);
        var primary = endpoint.PrimaryTarget!;
        var all = await RollupReader.ReadAsync(db, endpoint.TenantId, [endpoint.Id], from, to, RollupLevels.Hour, ct);
        var rollups = all.Where(r => r.Key.TargetId == endpoint.PrimaryTargetId).ToList();
        var traffic = TrafficStats.FromRollups(rollups);

        // Project from the traffic actually observed: a model first called two days ago has two days of spend, not 30.
        // The first minute, not the first hour row's start, so a model called for ten minutes is not projected from an hour.
        var firstMinute = rollups.Count == 0 ? from : await db.MinuteRollups.AsNoTracking()
            .Where(r => r.EndpointId == endpoint.Id && r.TargetId == endpoint.PrimaryTargetId && r.Start >= from && r.Start < to)
            .MinAsync(r => (DateTimeOffset?)r.Start, ct) ?? from;
        var observed = to - (firstMinute > from ? firstMinute : from);
        var window = observed > TimeSpan.FromMinutes(1) ? observed : TimeSpan.FromMinutes(1);

        var serverless = ServerlessOf(endpoint);
        var deployment = new[] { primary, endpoint.SecondaryTarget }.Select(t => t?.Deployment).FirstOrDefault(d => d is not null);
        var servedDedicated = primary.Kind == TargetKind.Dedicated && primary.Deployment is not null;
        var requirements = RequirementRule.Evaluate(await RequirementFactsAsync(db, endpoint, serverless, from, to, ct));
        var (capacity, dedicatedMonthly) = await CapacityAsync(db, endpoint, deployment, from, to, ct);
        var objective = await ObjectiveAsync(db, endpoint, to, ct);
        var assessment = MigrationAdvisor.Assess(new MigrationInput
        {
            Window = window,
            Traffic = traffic,
            Prices = PricesOf(serverless),
            DedicatedMonthlyCost = dedicatedMonthly,
            Requirements = requirements,
            Capacity = capacity,
            ServedDedicated = servedDedicated,
            ReplicaTime = servedDedicated ? TimeSpan.FromHours((double)DeploymentSpend.ReplicaHours(primary.Deployment!, from, to)) : null,
            Replicas = servedDedicated ? Math.Max(1, primary.Deployment!.BaselineReplicas) : 1,
            MeetsObjective = objective?.Met,
        });

        var evidence = $"/observability?model={Uri.EscapeDataString(endpoint.Name)}&window={Window.Name}&tier={primary.Kind.ToString().ToLowerInvariant()}";
        return new SignalsReport(
            endpoint.Name,
            Window.Name,
            assessment.Recommendation,
            assessment.MoveToDedicated,
            assessment.Signals.Select(s => SignalsViews.Signal(s, evidence)).ToList(),
            servedDedicated ? "dedicated" : "serverless",
            assessment.Advice is { } advice ? JsonNamingPolicy.CamelCase.ConvertName(advice.ToString()) : null,
            assessment.Utilisation,
            capacity is null ? null : new CapacityView(capacity.TokensPerSecond, capacity.Source),
            SignalsViews.Costs(endpoint, all, from, to),
            MeetsObjective: objective?.Met,
            Objective: objective?.Objective.ToString(),
            EndpointId: endpoint.Id);
    }

    /// <summary>The endpoint's TTFT objective judged now; null when it has none or no production request in its window yet.</summary>
    private static async Task<LatencyCompliance?> ObjectiveAsync(PortalDbContext db, InferenceEndpoint endpoint, DateTimeOffset now, CancellationToken ct)
    {
        var setting = await db.LatencyObjectives.AsNoTracking()
            .SingleOrDefaultAsync(o => o.EndpointId == endpoint.Id && o.TenantId == endpoint.TenantId, ct);
        if (setting is null)
        {
            return null;
        }

        var compliance = await LatencyObjectiveMeasure.EvaluateAsync(db, endpoint.TenantId, endpoint.Id, LatencyObjectiveService.ToObjective(setting), now, ct);
        return compliance.Status == LatencyObjectiveStatus.NoData ? null : compliance;
    }

    /// <summary>Signal 4's facts: the stated needs, the endpoint's lock and the tenant's policy, the upstream's 429s, the provider's list.</summary>
    private async Task<RequirementFacts> RequirementFactsAsync(PortalDbContext db, InferenceEndpoint endpoint, Target? serverless,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var endpointLock = await db.EndpointRegionLocks.AsNoTracking()
            .Where(l => l.EndpointId == endpoint.Id && l.TenantId == endpoint.TenantId).Select(l => l.Regions).SingleOrDefaultAsync(ct);
        long refusals = 0;
        if (serverless is not null)
        {
            refusals = await db.RequestSamples.AsNoTracking()
                .Where(s => s.TenantId == endpoint.TenantId && s.EndpointId == endpoint.Id && s.TargetId == serverless.Id && !s.Shadow
                    && s.StatusCode == StatusCodes.Status429TooManyRequests && (s.ErrorCode == null || s.ErrorCode == UpstreamQueueFull)
                    && s.Timestamp >= from && s.Timestamp < to)
                .LongCountAsync(ct);
        }

        return new RequirementFacts
        {
            Stated = new StatedRequirements(endpoint.RequiresCustomWeights, endpoint.RequiredQuantization, endpoint.RequiredResidency, endpoint.ConcurrencyFloor),
            EndpointLock = ResidencyRule.Parse(endpointLock),
            TenantPolicy = await residency.AllowedRegionsForTenantAsync(endpoint.TenantId, ct),
            UpstreamRefusals = refusals,
            UpstreamModel = serverless?.UpstreamModel,
            ProviderModels = serverless is null ? null : await providerModels.ListAsync(serverless, ct),
        };
    }

    /// <summary>
    /// One replica's capacity: measured at load from its engines' counters in the window, else the catalog's figure for
    /// the model × GPU. With a deployment, its own configuration; without, the smallest priced configuration that fits.
    /// Also the dedicated monthly cost of that configuration.
    /// </summary>
    private async Task<(ReplicaCapacity? Capacity, decimal? DedicatedMonthly)> CapacityAsync(PortalDbContext db, InferenceEndpoint endpoint,
        Deployment? deployment, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (deployment is not null)
        {
            var targetIds = new[] { endpoint.PrimaryTarget, endpoint.SecondaryTarget }.Where(t => t?.DeploymentId == deployment.Id).Select(t => t!.Id).ToList();
            var readings = await db.EngineReadings.AsNoTracking()
                .Where(r => r.TenantId == endpoint.TenantId && targetIds.Contains(r.TargetId) && r.At >= from && r.At < to)
                .Select(r => new EngineReading(r.Source, r.At, r.GenerationTokens, r.Waiting))
                .ToListAsync(ct);
            var catalogId = DeploymentSpecJson.Deserialize(deployment.SpecJson).Model.CatalogId;
            var capacity = CapacityRule.Measure(readings)
                ?? (catalog.FindModel(catalogId) is { } deployed ? deployed.CapacityOn(deployment.GpuType, deployment.GpusPerReplica) : null);
            return (capacity, CostCalculator.DedicatedMonthlyUsd(Math.Max(1, deployment.BaselineReplicas), deployment.GpusPerReplica, deployment.PricePerGpuHour));
        }

        var model = catalog.FindByIdOrRepository(endpoint.PrimaryTarget?.UpstreamModel) ?? catalog.FindByIdOrRepository(endpoint.Name);
        if (model is null)
        {
            return (null, null);
        }

        var smallest = ConfigurationSearch.FindAll(model.Id, model.Architecture, catalog.DefaultRuntime(model.Architecture), catalog, pricing: pricing.Value)
            .FirstOrDefault(c => c.PricePerReplicaHourUsd is not null);
        return smallest is null
            ? (null, null)
            : (model.CapacityOn(smallest.Gpu.Id, smallest.GpusPerReplica), smallest.PricePerReplicaHourUsd * CostCalculator.HoursPerMonth);
    }
}
