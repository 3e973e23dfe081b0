using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Migration.DryRun;

/// <summary>What starting a dry run takes: the recorded window, how much to compress it, and the candidates.</summary>
public sealed record DryRunRequest(DateTimeOffset? From, DateTimeOffset? To, double? Compression, List<DryRunCandidate>? Candidates);

/// <summary>A dry run as the page, API and CLI show it; <see cref="Report"/> once it succeeded.</summary>
public sealed record DryRunView(
    Guid Id,
    Guid EndpointId,
    DryRunStatus Status,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset WindowFrom,
    DateTimeOffset WindowTo,
    double Compression,
    double Progress,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? ExpectedEndAt,
    bool CancelRequested,
    IReadOnlyList<string> Candidates,
    string? Recommended,
    string? Error,
    DryRunReport? Report);

/// <summary>
/// Migration dry runs of an endpoint: started and cancelled by TenantAdmin and Developer (audited), read by every role
/// of the migration area. The replay itself is <see cref="DryRunJob"/>.
/// </summary>
public sealed class DryRunService(
    IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes, ModelCatalog catalog, IResidencyLocks residency,
    IBackgroundJobClient jobs, TimeProvider clock)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanChange, "Dry runs are started and cancelled by TenantAdmin and Developer");

    public Task<ServiceResult<DryRunView>> StartAsync(Caller caller, Guid tenantId, Guid endpointId, DryRunRequest request, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, "endpoint.dry_run_started", "endpoint", endpointId.ToString())
        {
            InputErrors = InputErrors(request),
        }, async db =>
        {
            if (!await db.Endpoints.AnyAsync(e => e.Id == endpointId && e.TenantId == tenantId, ct))
            {
                return ServiceResult<DryRunView>.NotFound("No such endpoint.");
            }

            var allowed = await residency.AllowedRegionsForTenantAsync(tenantId, ct);
            if (CandidateErrors(request.Candidates!, allowed) is { Count: > 0 } errors)
            {
                return ServiceResult<DryRunView>.Invalid(errors);
            }

            var (from, to) = (request.From!.Value, request.To!.Value);
            var (recorded, _) = await DryRunRecording.LoadAsync(db, tenantId, endpointId, from, to, ct);
            if (recorded.Replayed == 0)
            {
                return ServiceResult<DryRunView>.Invalid("from",
                    $"The endpoint recorded no request with token counts between {from:u} and {to:u}; choose a window with traffic.");
            }

            var run = new DryRunRow
            {
                TenantId = tenantId,
                EndpointId = endpointId,
                CreatedAt = clock.GetUtcNow(),
                CreatedBy = caller.Name,
                WindowFrom = from,
                WindowTo = to,
                Compression = request.Compression!.Value,
                Status = DryRunStatus.Queued,
                CandidatesJson = JsonSerializer.Serialize(request.Candidates, DryRunJson.Options),
            };
            db.DryRuns.Add(run);
            return ChangeOutcome.Save(
                new ChangeRecord("endpoint.dry_run_started", new
                {
                    runId = run.Id, from, to, compression = run.Compression, requests = recorded.Replayed,
                    candidates = request.Candidates!.Select(c => c.DisplayName).ToList(),
                }),
                () =>
                {
                    jobs.Enqueue<DryRunJob>(j => j.RunAsync(run.Id, CancellationToken.None));
                    return Task.FromResult(ServiceResult<DryRunView>.Ok(ToView(run)));
                });
        }, ct);

    public Task<ServiceResult<DryRunView>> CancelAsync(Caller caller, Guid tenantId, Guid endpointId, Guid runId, CancellationToken ct = default) =>
        changes.RunAsync(new TenantChange(caller, tenantId, Permission, "endpoint.dry_run_cancelled", "endpoint", endpointId.ToString()),
            (IQueryable<DryRunRow> runs) => runs.Where(r => r.Id == runId && r.EndpointId == endpointId), "No such dry run.",
            (DryRunRow run, PortalDbContext db) =>
            {
                if (run.Status.IsFinished())
                {
                    return ServiceResult<DryRunView>.Conflict($"The dry run has already finished ({run.Status}).");
                }

                run.CancelRequested = true;
                if (run.Status == DryRunStatus.Queued)
                {
                    // Not begun: the job will find it finished and do nothing.
                    run.Status = DryRunStatus.Cancelled;
                    run.FinishedAt = clock.GetUtcNow();
                }

                return ChangeOutcome.Save(new ChangeRecord("endpoint.dry_run_cancelled", new { runId = run.Id }), ToView(run));
            }, ct);

    public async Task<ServiceResult<IReadOnlyList<DryRunView>>> ListAsync(Caller caller, Guid tenantId, Guid endpointId, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<IReadOnlyList<DryRunView>>.NotFound("No such endpoint.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Endpoints.AnyAsync(e => e.Id == endpointId && e.TenantId == tenantId, ct))
        {
            return ServiceResult<IReadOnlyList<DryRunView>>.NotFound("No such endpoint.");
        }

        var runs = await db.DryRuns.AsNoTracking().Where(r => r.TenantId == tenantId && r.EndpointId == endpointId)
            .OrderByDescending(r => r.CreatedAt).Take(100).ToListAsync(ct);
        return ServiceResult<IReadOnlyList<DryRunView>>.Ok([.. runs.Select(r => ToView(r) with { Report = null })]);
    }

    public async Task<ServiceResult<DryRunView>> GetAsync(Caller caller, Guid tenantId, Guid endpointId, Guid runId, CancellationToken ct = default)
    {
        if (!CanRead(caller, tenantId))
        {
            return ServiceResult<DryRunView>.NotFound("No such dry run.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var run = await db.DryRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.EndpointId == endpointId && r.TenantId == tenantId, ct);
        return run is null ? ServiceResult<DryRunView>.NotFound("No such dry run.") : ServiceResult<DryRunView>.Ok(ToView(run));
    }

    private static bool CanRead(Caller caller, Guid tenantId) =>
        caller.In(tenantId) is { } access && AccessPolicy.CanUse(Area.Migration, access.Role, caller.IsSupport);

    private static Dictionary<string, string[]> InputErrors(DryRunRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.From is null)
        {
            errors["from"] = ["Give the start of the recorded window (UTC)."];
        }

        if (request.To is null)
        {
            errors["to"] = ["Give the end of the recorded window (UTC)."];
        }

        if (request.Compression is null)
        {
            errors["compression"] = ["Give the compression: 1 replays in real time, 144 replays 24 h in 10 minutes."];
        }

        if (errors.Count == 0)
        {
            foreach (var (field, messages) in ReplaySchedule.Problems(request.From!.Value, request.To!.Value, request.Compression!.Value))
            {
                errors[field] = messages;
            }
        }

        foreach (var (field, messages) in DryRunCandidate.Problems(request.Candidates))
        {
            errors[field] = messages;
        }

        return errors;
    }

    /// <summary>Each candidate must be a deployment the tenant could make: it fits, its region is allowed and offers the GPU.</summary>
    private Dictionary<string, string[]> CandidateErrors(IReadOnlyList<DryRunCandidate> candidates, IReadOnlySet<string>? allowedRegions)
    {
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (catalog.FindByIdOrRepository(candidates[i].Model) is not { } model)
            {
                errors[$"candidates[{i}].model"] = [$"'{candidates[i].Model}' is not a model of the catalog."];
                continue;
            }

            var spec = candidates[i].ToSpec($"dry-run-{i + 1}", catalog.DefaultRuntime(model.Architecture));
            var result = DeploymentValidator.Validate(spec, catalog, new DeploymentValidationContext { AllowedRegions = allowedRegions?.ToList() });
            foreach (var (field, messages) in result.Errors)
            {
                errors[$"candidates[{i}].{field}"] = [.. messages];
            }

            if (result.Deployment is { } deployment && CandidatePerformance.For(catalog, candidates[i], deployment).Refusal is { } refusal)
            {
                errors[$"candidates[{i}].gpusPerReplica"] = [refusal];
            }
        }

        return errors;
    }

    internal static DryRunView ToView(DryRunRow run)
    {
        var report = run.ReportJson is null ? null : JsonSerializer.Deserialize<DryRunReport>(run.ReportJson, DryRunJson.Options);
        var candidates = JsonSerializer.Deserialize<List<DryRunCandidate>>(run.CandidatesJson, DryRunJson.Options) ?? [];
        return new DryRunView(run.Id, run.EndpointId, run.Status, run.CreatedAt, run.CreatedBy, run.WindowFrom, run.WindowTo, run.Compression,
            run.Progress, run.StartedAt, run.FinishedAt, run.ExpectedEndAt, run.CancelRequested, [.. candidates.Select(c => c.DisplayName)],
            report?.Recommendation?.Candidate, run.Error, report);
    }
}
