using System.Diagnostics;
using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Core.Signals;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Routing;
using Portal.Hosting;
using Portal.Observability;
using Portal.Runtimes.Local;

namespace Portal.Migration.DryRun;

/// <summary>
/// Runs one dry run (Hangfire; safe to run twice: only a queued run starts): reads the recorded window, replays it
/// for each candidate in turn, writes progress every second and stops at a cancel request, then stores the report
/// with the recommendation and audits how it finished.
/// </summary>
public sealed class DryRunJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    DryRunTraffic traffic,
    GatewayLoad load,
    IServer server,
    ModelCatalog catalog,
    IOptions<GpuPricing> pricing,
    SignalsService signals,
    IOptions<LocalRuntimeOptions> localRuntime,
    AuditLog auditLog,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers,
    ILogger<DryRunJob> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(Guid runId, CancellationToken cancellationToken)
    {
        // Marked before the run reads Running, so the recovery pass never takes a starting run for an abandoned one.
        using var here = traffic.Begin(runId);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.DryRuns.SingleOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is not { Status: DryRunStatus.Queued })
        {
            return;
        }

        run.Status = DryRunStatus.Running;
        run.StartedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);

        var candidates = JsonSerializer.Deserialize<List<DryRunCandidate>>(run.CandidatesJson, DryRunJson.Options)!;
        var (recorded, requests) = await DryRunRecording.LoadAsync(db, run.TenantId, run.EndpointId, run.WindowFrom, run.WindowTo, cancellationToken);
        var schedule = ReplaySchedule.Build(requests, run.WindowFrom, run.WindowTo, run.Compression);
        var objective = await db.LatencyObjectives.AsNoTracking().Where(o => o.EndpointId == run.EndpointId && o.TenantId == run.TenantId)
            .Select(o => new LatencyObjective(o.ThresholdMs, o.Percentile, o.WindowDays)).SingleOrDefaultAsync(cancellationToken);

        // A graceful stop of the portal ends the run here, stopping its simulators, rather than leaving them to the next start.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var progress = new Progress(candidates.Count, schedule);
        var watcher = WatchAsync(run.Id, progress, cancel);
        DryRunStatus status;
        DryRunReport? report = null;
        string? error = null;
        try
        {
            // Inside the run's own failure handling: a failed read here ends the run as Failed with its reason.
            var facts = await signals.EndpointFactsAsync(run.TenantId, run.EndpointId, cancel.Token);
            var judged = new Judged(objective, facts?.Prices ?? new ServerlessPrices(0, 0), facts?.Requirements ?? HardRequirements.None);
            var reports = new List<CandidateReport>();
            var scores = new List<CandidateScore>();
            for (var i = 0; i < candidates.Count; i++)
            {
                progress.Candidate = i;
                var (candidateReport, score) = await ReplayAsync(run, candidates[i], i, schedule, judged, progress, cancel.Token);
                reports.Add(candidateReport);
                scores.Add(score);
            }

            var recommendation = DryRunRecommender.Recommend(scores, objective, recorded.TtftP99Ms);
            report = new DryRunReport(DryRunReport.NoticeFor(run.Compression), recorded, reports, recommendation);
            status = DryRunStatus.Succeeded;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            var stopping = lifetime.ApplicationStopping.IsCancellationRequested || cancellationToken.IsCancellationRequested;
            status = stopping ? DryRunStatus.Interrupted : DryRunStatus.Cancelled;
            error = stopping ? DryRunRecovery.StoppedSentence : null;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Dry run {RunId} failed.", run.Id);
            status = DryRunStatus.Failed;
            error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
        }

        progress.Done = true;
        await watcher;
        var finished = clock.GetUtcNow();
        await db.DryRuns.Where(r => r.Id == run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.FinishedAt, finished)
            .SetProperty(r => r.Progress, status == DryRunStatus.Succeeded ? 1 : progress.Fraction)
            .SetProperty(r => r.ExpectedEndAt, (DateTimeOffset?)null)
            .SetProperty(r => r.ReportJson, report is null ? null : JsonSerializer.Serialize(report, DryRunJson.Options))
            .SetProperty(r => r.Error, error), CancellationToken.None);
        await auditLog.RecordAnonymousAsync("dry-run", "Dry run", run.TenantId, "endpoint.dry_run_finished", "endpoint", run.EndpointId.ToString(),
            status == DryRunStatus.Failed ? AuditOutcome.Failure : AuditOutcome.Success, error,
            new { runId = run.Id, status = status.ToString(), recommended = report?.Recommendation?.Candidate }, CancellationToken.None);
    }

    private async Task<(CandidateReport Report, CandidateScore Score)> ReplayAsync(
        DryRunRow run, DryRunCandidate candidate, int index, ReplaySchedule schedule, Judged judged, Progress progress,
        CancellationToken cancellationToken)
    {
        var model = catalog.FindByIdOrRepository(candidate.Model)
            ?? throw new InvalidOperationException($"{candidate.Model} is no longer in the catalog.");
        var validation = DeploymentValidator.Validate(candidate.ToSpec($"dry-run-{index + 1}", catalog.DefaultRuntime(model.Architecture)), catalog,
            new DeploymentValidationContext());
        var deployment = validation.Deployment
            ?? throw new InvalidOperationException(string.Join(" ", validation.Errors.SelectMany(e => e.Value)));
        var estimate = CandidatePerformance.For(catalog, candidate, deployment);
        var speed = estimate.Speed ?? throw new InvalidOperationException(estimate.Refusal);
        using var lane = traffic.Open(run.Id, run.TenantId, deployment.ServedModelName, Core.Scaling.AutoscalePolicy.Default.SaturationBound);
        using var runtime = new LocalProcessRuntime(ForSimulations(localRuntime.Value), loggers.CreateLogger<LocalProcessRuntime>());
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var replay = new CandidateReplay(runtime, load, client, OwnAddress.Of(server, "a dry run"), run.TenantId, deployment, candidate, speed, schedule, lane, logger);
        var started = Stopwatch.StartNew();
        progress.CandidateStarted = started;
        var (gateway, engine, replicas) = await replay.RunAsync(sent => progress.Sent = sent, cancellationToken);

        var summary = ReplaySummary.Summarise(schedule, gateway, engine);
        var gpuHours = ReplayCost.GpuHours(replicas, schedule.ReplaySpan, schedule.Compression, candidate.GpusPerReplica);
        var price = pricing.Value.Find(candidate.GpuType, candidate.Region);
        var cost = ReplayCost.Usd(gpuHours, price);
        var ttfts = ReplaySummary.TtftsMs(schedule, gateway, engine);
        var afterwards = DryRunAfterwards.Assess(new AfterwardsInput
        {
            Schedule = schedule,
            TtftsMs = ttfts,
            ColdStarts = summary.ColdStarts,
            Candidate = candidate,
            GpuHours = gpuHours,
            PricePerGpuHourUsd = price,
            Capacity = model.CapacityOn(candidate.GpuType, candidate.GpusPerReplica),
            ServerlessPrices = judged.Prices,
            Requirements = judged.Requirements,
            Objective = judged.Objective,
        });
        var report = new CandidateReport(
            candidate.DisplayName, candidate, speed.Profile, summary, replicas,
            ReplicaTimeline.Points(replicas, schedule.ReplaySpan, schedule.Compression), gpuHours, price, cost,
            ReplayCost.PerRequestUsd(cost, schedule.Requests.Count), ReplayFidelity.Compare(schedule, engine),
            schedule.Requests.Count <= DryRunReport.MaxArrivalsKept ? engine : null, speed, afterwards);
        return (report, new CandidateScore(report.Name, ttfts, cost));
    }

    /// <summary>What every candidate is judged against: the endpoint's objective, its serverless prices, its requirements.</summary>
    private sealed record Judged(LatencyObjective? Objective, ServerlessPrices Prices, HardRequirements Requirements);

    /// <summary>The same runtime settings with the simulator always standing in (a dry run never runs a real engine).</summary>
    private static LocalRuntimeOptions ForSimulations(LocalRuntimeOptions options) => new()
    {
        StateDirectory = options.StateDirectory,
        SimulatorPath = options.SimulatorPath,
        DotnetHost = options.DotnetHost,
        Host = options.Host,
        ProbeTimeout = options.ProbeTimeout,
        UseInstalledEngines = false,
    };

    /// <summary>Writes progress every second and turns a stored cancel request into cancellation.</summary>
    private async Task WatchAsync(Guid runId, Progress progress, CancellationTokenSource cancel)
    {
        while (!progress.Done)
        {
            await Task.Delay(ProgressInterval, CancellationToken.None);
            if (progress.Done)
            {
                return;
            }

            try
            {
                await using var db = await dbFactory.CreateDbContextAsync();
                var expectedEnd = clock.GetUtcNow() + progress.Remaining;
                var fraction = progress.Fraction;
                await db.DryRuns.Where(r => r.Id == runId).ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Progress, fraction).SetProperty(r => r.ExpectedEndAt, expectedEnd));
                if (await db.DryRuns.AnyAsync(r => r.Id == runId && r.CancelRequested))
                {
                    await cancel.CancelAsync();
                }
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException)
            {
                logger.LogWarning(e, "Could not record the progress of dry run {RunId}.", runId);
            }
        }
    }

    /// <summary>How far the replay is: the candidate being replayed and how many of its requests have left.</summary>
    private sealed class Progress(int candidates, ReplaySchedule schedule)
    {
        public volatile int Candidate;
        public volatile int Sent;
        public volatile bool Done;
        public Stopwatch CandidateStarted { get; set; } = Stopwatch.StartNew();

        /// <summary>
        /// Candidates done, and of the current one the larger of its requests sent and its window's time gone by: a window
        /// whose last request came early is still being replayed (replicas paid, burst draining) until it ends.
        /// </summary>
        public double Fraction
        {
            get
            {
                var sent = schedule.Requests.Count == 0 ? 0 : Sent / (double)schedule.Requests.Count;
                var time = schedule.ReplaySpan <= TimeSpan.Zero ? 1 : Math.Min(1, CandidateStarted.Elapsed / schedule.ReplaySpan);
                return (Candidate + Math.Max(sent, time)) / candidates;
            }
        }

        public TimeSpan Remaining
        {
            get
            {
                var current = schedule.ReplaySpan - CandidateStarted.Elapsed;
                return (current > TimeSpan.Zero ? current : TimeSpan.Zero) + schedule.ReplaySpan * (candidates - Candidate - 1);
            }
        }
    }
}
