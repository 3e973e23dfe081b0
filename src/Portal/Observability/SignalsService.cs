using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Core.Signals;
using Portal.Core.Sizing;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Observability;

/// <summary>
/// The four migration signals of each model, measured on the production traffic of its primary target over the
/// last 30 days, and <see cref="MigrationAdvisor"/>'s recommendation. Read-only, scoped to the caller's tenant.
/// </summary>
public sealed class SignalsService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ModelCatalog catalog,
    IOptions<GpuPricing> pricing,
    IResidencyLocks residency,
    TimeProvider clock)
{
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

    private static IQueryable<InferenceEndpoint> Endpoints(PortalDbContext db, Guid tenantId) => db.Endpoints.AsNoTracking()
        .Include(e => e.PrimaryTarget).ThenInclude(t => t!.Deployment)
        .Include(e => e.SecondaryTarget).ThenInclude(t => t!.Deployment)
        .Where(e => e.TenantId == tenantId);

    private async Task<SignalsReport> AssessAsync(PortalDbContext db, InferenceEndpoint endpoint, CancellationToken ct)
    {
        var to = clock.GetUtcNow();
        var from = Window.StartFor(to);
        var rollups = (await RollupReader.ReadAsync(db, endpoint.TenantId, [endpoint.Id], from, to, RollupLevels.Hour, ct))
            .Where(r => r.Key.TargetId == endpoint.PrimaryTargetId).ToList();
        var traffic = TrafficStats.FromRollups(rollups);

        // Project from the traffic actually observed: a model first called two days ago has two days of spend, not 30.
        // The first minute, not the first hour row's start, so a model called for ten minutes is not projected from an hour.
        var firstMinute = rollups.Count == 0 ? from : await db.MinuteRollups.AsNoTracking()
            .Where(r => r.EndpointId == endpoint.Id && r.TargetId == endpoint.PrimaryTargetId && r.Start >= from && r.Start < to)
            .MinAsync(r => (DateTimeOffset?)r.Start, ct) ?? from;
        var observed = to - (firstMinute > from ? firstMinute : from);
        var serverless = new[] { endpoint.PrimaryTarget, endpoint.SecondaryTarget }.FirstOrDefault(t => t?.Kind == TargetKind.Serverless);
        var assessment = MigrationAdvisor.Assess(new MigrationInput
        {
            Window = observed > TimeSpan.FromMinutes(1) ? observed : TimeSpan.FromMinutes(1),
            Traffic = traffic,
            Prices = new ServerlessPrices(serverless?.InputPricePerMillion ?? 0, serverless?.OutputPricePerMillion ?? 0),
            DedicatedMonthlyCost = DedicatedMonthlyCost(endpoint),
            Requirements = new HardRequirements(RegionLock: await residency.AllowedRegionsForTenantAsync(endpoint.TenantId, ct) is not null),
        });

        var evidence = $"/observability?model={Uri.EscapeDataString(endpoint.Name)}&window={Window.Name}&tier={endpoint.PrimaryTarget?.Kind.ToString().ToLowerInvariant()}";
        return new SignalsReport(
            endpoint.Name,
            Window.Name,
            assessment.Recommendation,
            assessment.MoveToDedicated,
            assessment.Signals.Select(s => View(s, evidence)).ToList());
    }

    /// <summary>The dedicated deployment the endpoint already has, else the smallest priced configuration that fits.</summary>
    private decimal? DedicatedMonthlyCost(InferenceEndpoint endpoint)
    {
        var deployment = new[] { endpoint.PrimaryTarget, endpoint.SecondaryTarget }.Select(t => t?.Deployment).FirstOrDefault(d => d is not null);
        if (deployment is not null)
        {
            return CostCalculator.DedicatedMonthlyUsd(Math.Max(1, deployment.BaselineReplicas), deployment.GpusPerReplica, deployment.PricePerGpuHour);
        }

        var model = catalog.FindModel(endpoint.PrimaryTarget?.UpstreamModel) ?? catalog.FindModel(endpoint.Name);
        if (model is null)
        {
            return null;
        }

        var smallest = ConfigurationSearch.FindAll(model.Id, model.Architecture, catalog.DefaultRuntime(model.Architecture), catalog, pricing: pricing.Value)
            .FirstOrDefault(c => c.PricePerReplicaHourUsd is not null);
        return smallest?.PricePerReplicaHourUsd * CostCalculator.HoursPerMonth;
    }

    private static SignalView View(MigrationSignal signal, string evidence) => new(
        JsonNamingPolicy.CamelCase.ConvertName(signal.Kind.ToString()),
        signal.Kind switch
        {
            SignalKind.TailDivergence => "p99/p50 TTFT",
            SignalKind.ColdStarts => "Cold starts",
            SignalKind.Economics => "Serverless vs dedicated $/month",
            _ => "Hard requirements",
        },
        signal.Value,
        signal.Threshold,
        signal.Kind switch
        {
            SignalKind.TailDivergence => "ratio",
            SignalKind.ColdStarts => "events",
            SignalKind.Economics => "usd/month",
            _ => "requirements",
        },
        JsonNamingPolicy.CamelCase.ConvertName(signal.State.ToString()),
        signal.Evidence,
        signal.Kind == SignalKind.Requirements ? "/regions" : evidence);
}
