using System.Diagnostics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.DryRun;
using Portal.Data;
using Portal.Runtimes.Local;

namespace Portal.Migration.DryRun;

/// <summary>
/// Leaves nothing of a dry run behind when the portal running it died: at start and every 30 seconds, a run still
/// Running that no live job holds (neither this instance nor a live job server on this database) is marked Interrupted
/// and audited, and the simulators this host's local runtime started for any dry run not running here are stopped
/// (they are filed under the run's id).
/// </summary>
public sealed class DryRunRecovery(
    IDbContextFactory<PortalDbContext> dbFactory,
    DryRunTraffic traffic,
    JobStorage storage,
    IOptions<LocalRuntimeOptions> localRuntime,
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILoggerFactory loggers,
    ILogger<DryRunRecovery> logger) : BackgroundService
{
    public const string StoppedSentence =
        "The portal stopped during this dry run: the replay was cut short, its simulators were stopped and no report was made. Start it again for a report.";

    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RecoverAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not look for interrupted dry runs.");
            }

            await Task.Delay(Interval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One pass: mark the abandoned runs, then stop the simulators of runs not running here.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var auditLog = scope.ServiceProvider.GetRequiredService<AuditLog>();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var running = await db.DryRuns.AsNoTracking().Where(r => r.Status == DryRunStatus.Running)
            .Select(r => new { r.Id, r.TenantId, r.EndpointId }).ToListAsync(cancellationToken);
        var liveElsewhere = running.Count == 0 ? [] : LiveElsewhere();
        foreach (var run in running.Where(r => !traffic.IsRunningHere(r.Id) && !liveElsewhere.Contains(r.Id)))
        {
            var now = clock.GetUtcNow();
            // Conditional, so two instances passing at once mark and audit it once.
            var marked = await db.DryRuns.Where(r => r.Id == run.Id && r.Status == DryRunStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, DryRunStatus.Interrupted)
                .SetProperty(r => r.FinishedAt, now)
                .SetProperty(r => r.ExpectedEndAt, (DateTimeOffset?)null)
                .SetProperty(r => r.Error, StoppedSentence), cancellationToken);
            if (marked == 1)
            {
                logger.LogWarning("Dry run {RunId} was left running by a portal that stopped; marked interrupted.", run.Id);
                await auditLog.RecordAnonymousAsync("dry-run", "Dry run", run.TenantId, "endpoint.dry_run_interrupted", "endpoint", run.EndpointId.ToString(),
                    AuditOutcome.Success, StoppedSentence, new { runId = run.Id }, cancellationToken);
            }
        }

        await StopLeftSimulatorsAsync(db, liveElsewhere, cancellationToken);
    }

    private async Task StopLeftSimulatorsAsync(PortalDbContext db, HashSet<Guid> liveElsewhere, CancellationToken cancellationToken)
    {
        var root = localRuntime.Value.StateDirectory;
        if (!Directory.Exists(root))
        {
            return;
        }

        var folders = Directory.EnumerateDirectories(root).Select(Path.GetFileName)
            .Select(name => Guid.TryParseExact(name, "N", out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        var runs = await db.DryRuns.AsNoTracking().Where(r => folders.Contains(r.Id)).Select(r => r.Id).ToListAsync(cancellationToken);
        var left = runs.Where(id => !traffic.IsRunningHere(id) && !liveElsewhere.Contains(id)).ToList();
        if (left.Count == 0)
        {
            return;
        }

        using var runtime = new LocalProcessRuntime(new LocalRuntimeOptions { StateDirectory = root }, loggers.CreateLogger<LocalProcessRuntime>());
        foreach (var runId in left)
        {
            if ((await runtime.ListReplicasAsync(runId, cancellationToken)).Count > 0)
            {
                logger.LogWarning("Stopping the simulators dry run {RunId} left behind.", runId);
                await runtime.RemoveDeploymentAsync(runId, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Dry runs a job server on this database is processing, other than this process's (whose runs
    /// <see cref="DryRunTraffic.IsRunningHere"/> knows). A server of this host whose process is gone is not live, even
    /// before its heartbeat expires: that is the restart after a crash.
    /// </summary>
    private HashSet<Guid> LiveElsewhere()
    {
        var monitoring = storage.GetMonitoringApi();
        var servers = monitoring.Servers().Select(s => s.Name).Where(IsLiveElsewhere).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return monitoring.ProcessingJobs(0, 1000)
            .Where(j => j.Value?.Job?.Type == typeof(DryRunJob) && servers.Contains(j.Value.ServerId) && j.Value.Job.Args is [Guid, ..])
            .Select(j => (Guid)j.Value.Job.Args[0]).ToHashSet();
    }

    /// <summary>Server names read "machine:pid:…" (Jobs setup names them so).</summary>
    private static bool IsLiveElsewhere(string serverName)
    {
        var parts = serverName.Split(':');
        if (parts.Length < 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.OrdinalIgnoreCase)
            || !int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid))
        {
            return true;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
