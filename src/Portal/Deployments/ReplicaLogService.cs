using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Deployments;
using Portal.Core.Logs;
using Portal.Data;
using Portal.Identity;
using Portal.Runtimes;
using Portal.Tenancy;

namespace Portal.Deployments;

/// <summary>One replica's log as a caller may read it: its tenant, its deployment and the runtime's id for it.</summary>
public sealed record ReplicaLogSource(Guid TenantId, Guid DeploymentId, string DeploymentName, string RuntimeReplicaId);

/// <summary>
/// Replica logs for the console, the API and the CLI: checks who asks (<see cref="ReplicaLogAccess"/>; another tenant's
/// deployment is not found), reads through the runtime, redacts every line (<see cref="LogRedaction"/>) before it is
/// searched or leaves the server, and records downloads in the tenant's audit log. Reading a tail is not recorded: the
/// page refreshes it continuously and it carries nothing a download would not.
/// </summary>
public sealed class ReplicaLogService(IDbContextFactory<PortalDbContext> dbFactory, IReplicaLogs logs, AuditLog auditLog, TimeProvider clock)
{
    public const string Refusal = "Replica logs are for the tenant's admins and developers, and for support staff inside a look-in.";

    /// <param name="replica">The portal's replica id (as the deployment lists it) or the runtime's own (e.g. <c>r-…</c>, a pod name).</param>
    public async Task<ServiceResult<ReplicaLogSource>> OpenAsync(Caller caller, Guid tenantId, Guid deploymentId, string replica, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is not { } access)
        {
            return ServiceResult<ReplicaLogSource>.NotFound("No such deployment.");
        }

        if (!ReplicaLogAccess.CanRead(access.Role, access.LookIn))
        {
            return ServiceResult<ReplicaLogSource>.Forbidden(Refusal);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var deployment = await db.Deployments.AsNoTracking()
            .Where(d => d.Id == deploymentId && d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted)
            .Select(d => new { d.Id, d.Name }).SingleOrDefaultAsync(ct);
        if (deployment is null)
        {
            return ServiceResult<ReplicaLogSource>.NotFound("No such deployment.");
        }

        var runtimeId = replica;
        if (Guid.TryParse(replica, out var replicaId))
        {
            runtimeId = await db.Replicas.AsNoTracking().Where(r => r.Id == replicaId && r.DeploymentId == deploymentId && r.TenantId == tenantId)
                .Select(r => r.RuntimeReplicaId).SingleOrDefaultAsync(ct);
        }

        return runtimeId is null
            ? ServiceResult<ReplicaLogSource>.NotFound("No such replica, or it has not started yet.")
            : ServiceResult<ReplicaLogSource>.Ok(new ReplicaLogSource(tenantId, deployment.Id, deployment.Name, runtimeId));
    }

    /// <summary>The redacted lines the query selects; a download is recorded in the tenant's audit log.</summary>
    public async Task<ServiceResult<IReadOnlyList<LogLine>>> ReadAsync(
        Caller caller, ReplicaLogSource source, LogQuery query, bool download, CancellationToken ct = default)
    {
        var raw = await logs.ReadAsync(source.DeploymentId, source.RuntimeReplicaId, query.Since, ct);
        if (raw is null)
        {
            return ServiceResult<IReadOnlyList<LogLine>>.NotFound("This replica has no log (it never started, or its deployment was removed).");
        }

        var lines = query.Select(raw.Select(Redact));
        if (download)
        {
            await auditLog.RecordAsync(caller, source.TenantId, ReplicaLogAccess.DownloadAction, "replica", source.RuntimeReplicaId,
                details: new { deployment = source.DeploymentId, since = query.Since, until = query.Until, search = query.Search is not null, lines = lines.Count },
                cancellationToken: ct);
        }

        return ServiceResult<IReadOnlyList<LogLine>>.Ok(lines);
    }

    /// <summary>New lines as the engine writes them, redacted, and only those containing <paramref name="search"/> when given.</summary>
    public async IAsyncEnumerable<LogLine> FollowAsync(ReplicaLogSource source, string? search, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var filter = new LogQuery(null, null, string.IsNullOrEmpty(search) ? null : search, 1);
        await foreach (var line in logs.FollowAsync(source.DeploymentId, source.RuntimeReplicaId, ct))
        {
            var redacted = Redact(line);
            if (filter.Matches(redacted))
            {
                yield return redacted;
            }
        }
    }

    /// <summary>Now, for parsing "10m" and friends in a query.</summary>
    public DateTimeOffset Now => clock.GetUtcNow();

    private static LogLine Redact(LogLine line) => line with { Text = LogRedaction.Redact(line.Text) };
}
