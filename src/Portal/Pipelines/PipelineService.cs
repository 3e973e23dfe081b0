using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Core.Pipelines;
using Portal.Core.Quotas;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;
using Portal.Quotas;
using Portal.Tenancy;
using Pipeline = Portal.Data.Entities.Pipeline;
using StageRow = Portal.Data.Entities.PipelineStage;

namespace Portal.Pipelines;

/// <summary>
/// The tenant's compound pipelines and their cascade report. Each stage's cold-start potential is the largest
/// cold-start TTFT the gateway measured on the endpoint's primary target in the last week, else the person's estimate;
/// <see cref="CascadeAnalyzer"/> does the arithmetic. Changes are audited.
/// </summary>
public sealed class PipelineService(
    IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, QuotaService quotas, TimeProvider clock)
{
    public const int MaxStages = 20;

    private static readonly ChangePermission Permission = new(AccessPolicy.CanChange, "Changing pipelines is for TenantAdmin and Developer");

    public static readonly TimeSpan ObservationWindow = TimeSpan.FromDays(7);

    public async Task<ServiceResult<IReadOnlyList<PipelineView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<IReadOnlyList<PipelineView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pipelines = await db.Pipelines.AsNoTracking().Include(p => p.Stages).Where(p => p.TenantId == tenantId).OrderBy(p => p.Name).ToListAsync(ct);
        var names = await EndpointNamesAsync(db, tenantId, ct);
        return ServiceResult<IReadOnlyList<PipelineView>>.Ok(pipelines.Select(p => ToView(p, names)).ToList());
    }

    public async Task<ServiceResult<PipelineView>> GetAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<PipelineView>.NotFound("No such pipeline.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pipeline = await db.Pipelines.AsNoTracking().Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == id && p.TenantId == tenantId, ct);
        return pipeline is null
            ? ServiceResult<PipelineView>.NotFound("No such pipeline.")
            : ServiceResult<PipelineView>.Ok(ToView(pipeline, await EndpointNamesAsync(db, tenantId, ct)));
    }

    public async Task<ServiceResult<CascadeReportView>> ReportAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<CascadeReportView>.NotFound("No such pipeline.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pipeline = await db.Pipelines.AsNoTracking().Include(p => p.Stages).SingleOrDefaultAsync(p => p.Id == id && p.TenantId == tenantId, ct);
        if (pipeline is null)
        {
            return ServiceResult<CascadeReportView>.NotFound("No such pipeline.");
        }

        var stages = pipeline.Stages.OrderBy(s => s.Position).ToList();
        var endpointIds = stages.Select(s => s.EndpointId).Distinct().ToList();
        var endpoints = await db.Endpoints.AsNoTracking().Include(e => e.PrimaryTarget)
            .Where(e => e.TenantId == tenantId && endpointIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, ct);
        var targetIds = endpoints.Values.Select(e => e.PrimaryTargetId).ToList();
        var since = clock.GetUtcNow() - ObservationWindow;
        var observed = (await db.RequestSamples.AsNoTracking()
                .Where(s => s.TenantId == tenantId && s.TargetId != null && targetIds.Contains(s.TargetId.Value) && s.ColdStart && !s.Shadow
                    && s.TtftMs != null && s.Timestamp >= since)
                .Select(s => new { TargetId = s.TargetId!.Value, Ttft = s.TtftMs!.Value })
                .ToListAsync(ct))
            .GroupBy(s => s.TargetId)
            .ToDictionary(g => g.Key, g => g.Max(s => s.Ttft));

        var analysed = stages.Select(s =>
        {
            var endpoint = endpoints.GetValueOrDefault(s.EndpointId);
            var serving = endpoint?.PrimaryTarget?.Kind == TargetKind.Serverless ? ServingMode.Serverless : ServingMode.Dedicated;
            TimeSpan? seen = endpoint is not null && observed.TryGetValue(endpoint.PrimaryTargetId, out var ms) ? TimeSpan.FromMilliseconds(ms) : null;
            TimeSpan? estimate = s.EstimatedColdStartMs is { } e ? TimeSpan.FromMilliseconds(e) : null;
            return new PipelineStage(s.Name, s.EndpointId, s.OnCriticalPath, serving, seen, estimate);
        }).ToList();
        var report = CascadeAnalyzer.Analyze(analysed, TimeSpan.FromMilliseconds(pipeline.BudgetMs));

        var views = analysed.Select((stage, i) => new CascadeStageView(i + 1, stage.Name, stage.EndpointId,
            endpoints.GetValueOrDefault(stage.EndpointId)?.Name,
            endpoints.ContainsKey(stage.EndpointId) ? stage.Serving.ToString() : "Missing",
            stage.OnCriticalPath, stage.ColdStartPotential.TotalMilliseconds, stage.PotentialSource.ToString(),
            stage.WorstCaseContribution.TotalMilliseconds, report.MoveToDedicated.Contains(stage))).ToList();
        return ServiceResult<CascadeReportView>.Ok(new CascadeReportView(pipeline.Id, pipeline.Name, report.Budget.TotalMilliseconds,
            report.WorstCase.TotalMilliseconds, report.IsWithinBudget, report.WorstCaseAfter.TotalMilliseconds, views, ObservationWindow.Days));
    }

    public Task<ServiceResult<PipelineView>> CreateAsync(Caller caller, Guid tenantId, PipelineRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "pipeline.create", request.Name), async db =>
        {
            if (await quotas.CheckCountAsync(caller, tenantId, QuotaKind.Pipelines, nameof(request.Name), "pipeline.create", "pipeline", request.Name, ct) is { } overQuota)
            {
                return ServiceResult<PipelineView>.Invalid(overQuota);
            }

            if (await ValidateAsync(db, tenantId, request, null, ct) is { Count: > 0 } errors)
            {
                return ServiceResult<PipelineView>.Invalid(errors);
            }

            var now = clock.GetUtcNow();
            var pipeline = new Pipeline { TenantId = tenantId, Name = request.Name.Trim(), CreatedAt = now, UpdatedAt = now };
            Apply(pipeline, request);
            db.Pipelines.Add(pipeline);
            return ChangeOutcome.Save(new ChangeRecord("pipeline.created", Describe(pipeline)) { ResourceId = pipeline.Id.ToString() },
                () => GetAsync(caller, tenantId, pipeline.Id, ct));
        }, ct);

    public Task<ServiceResult<PipelineView>> UpdateAsync(Caller caller, Guid tenantId, Guid id, PipelineRequest request, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "pipeline.update", id.ToString()), pipelines => pipelines.Include(p => p.Stages).Where(p => p.Id == id),
            "No such pipeline.", async (Pipeline pipeline, PortalDbContext db) =>
            {
                if (await ValidateAsync(db, tenantId, request, id, ct) is { Count: > 0 } errors)
                {
                    return ServiceResult<PipelineView>.Invalid(errors);
                }

                var before = Describe(pipeline);
                db.PipelineStages.RemoveRange(pipeline.Stages);
                pipeline.Stages = [];
                pipeline.Name = request.Name.Trim();
                pipeline.UpdatedAt = clock.GetUtcNow();
                Apply(pipeline, request);
                db.PipelineStages.AddRange(pipeline.Stages);
                return ChangeOutcome.Save(new ChangeRecord("pipeline.updated", new { before, after = Describe(pipeline) }),
                    () => GetAsync(caller, tenantId, id, ct));
            }, ct);

    public Task<ServiceResult<PipelineView>> DeleteAsync(Caller caller, Guid tenantId, Guid id, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "pipeline.delete", id.ToString()), pipelines => pipelines.Include(p => p.Stages).Where(p => p.Id == id),
            "No such pipeline.", async (Pipeline pipeline, PortalDbContext db) =>
            {
                var view = ToView(pipeline, await EndpointNamesAsync(db, tenantId, ct));
                db.Pipelines.Remove(pipeline);
                return ChangeOutcome.Save(new ChangeRecord("pipeline.deleted", Describe(pipeline)), view);
            }, ct);

    private static void Apply(Pipeline pipeline, PipelineRequest request)
    {
        pipeline.BudgetMs = request.BudgetMs ?? (int)CascadeAnalyzer.DefaultBudget.TotalMilliseconds;
        pipeline.Stages = request.Stages.Select((s, i) => new StageRow
        {
            PipelineId = pipeline.Id, Position = i, Name = s.Name.Trim(), EndpointId = s.EndpointId, OnCriticalPath = s.OnCriticalPath,
            EstimatedColdStartMs = s.EstimatedColdStartMs,
        }).ToList();
    }

    private static async Task<Dictionary<string, string[]>> ValidateAsync(PortalDbContext db, Guid tenantId, PipelineRequest request, Guid? existing, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            errors["Name"] = ["Name the pipeline (up to 100 characters)."];
        }
        else if (await db.Pipelines.AnyAsync(p => p.TenantId == tenantId && p.Name == request.Name.Trim() && p.Id != existing, ct))
        {
            errors["Name"] = [$"A pipeline named {request.Name.Trim()} already exists."];
        }

        if (request.BudgetMs is <= 0)
        {
            errors["BudgetMs"] = ["The budget is a positive number of milliseconds."];
        }

        var stages = request.Stages ?? [];
        if (stages.Count is 0 or > MaxStages)
        {
            errors["Stages"] = [$"A pipeline has 1 to {MaxStages} stages."];
            return errors;
        }

        var endpointIds = stages.Select(s => s.EndpointId).Distinct().ToList();
        var known = await db.Endpoints.Where(e => e.TenantId == tenantId && endpointIds.Contains(e.Id)).Select(e => e.Id).ToListAsync(ct);
        for (var i = 0; i < stages.Count; i++)
        {
            var stage = stages[i];
            var problems = new List<string>();
            if (string.IsNullOrWhiteSpace(stage.Name) || stage.Name.Trim().Length > 100)
            {
                problems.Add($"Stage {i + 1}: name it (up to 100 characters).");
            }

            if (!known.Contains(stage.EndpointId))
            {
                problems.Add($"Stage {i + 1}: choose one of this organisation's endpoints.");
            }

            if (stage.EstimatedColdStartMs is < 0)
            {
                problems.Add($"Stage {i + 1}: a cold-start estimate cannot be negative.");
            }

            if (problems.Count > 0)
            {
                errors[$"Stages[{i}]"] = [.. problems];
            }
        }

        return errors;
    }

    private static async Task<Dictionary<Guid, string>> EndpointNamesAsync(PortalDbContext db, Guid tenantId, CancellationToken ct) =>
        await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId).ToDictionaryAsync(e => e.Id, e => e.Name, ct);

    private static PipelineView ToView(Pipeline p, Dictionary<Guid, string> endpointNames) => new(p.Id, p.Name, p.BudgetMs,
        p.Stages.OrderBy(s => s.Position)
            .Select(s => new PipelineStageView(s.Name, s.EndpointId, endpointNames.GetValueOrDefault(s.EndpointId), s.OnCriticalPath, s.EstimatedColdStartMs))
            .ToList(),
        p.UpdatedAt);

    private static object Describe(Pipeline p) => new
    {
        name = p.Name, budgetMs = p.BudgetMs,
        stages = p.Stages.OrderBy(s => s.Position).Select(s => new { s.Name, endpoint = s.EndpointId, critical = s.OnCriticalPath, estimateMs = s.EstimatedColdStartMs }).ToList(),
    };

    private static bool CanRead(Caller caller, Guid tenantId) =>
        caller.In(tenantId) is { } access && AccessPolicy.CanUse(Area.Migration, access.Role, caller.IsSupport);

    private static TenantChange Change(Caller caller, Guid tenantId, string action, string resource) =>
        new(caller, tenantId, Permission, action, "pipeline", resource);
}
