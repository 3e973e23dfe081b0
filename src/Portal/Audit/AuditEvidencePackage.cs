using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Health;
using Portal.Identity;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Audit;

/// <summary>What an evidence package covers, once the caller and the period were checked.</summary>
public sealed record AuditEvidencePlan(AuditScope Scope, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// One download for a tenant and a period, for its Auditors and TenantAdmins: the audit export with its signed
/// manifest, the public keys, the verification result, the residency report with the region-lock history, the SLA
/// report of every month in the period, an access review, and a signed index of every file's SHA-256.
/// </summary>
public sealed class AuditEvidencePackage(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditReader reader,
    AuditExporter exporter,
    AuditArchiver archiver,
    AuditKeyProvider keys,
    AuditLog auditLog,
    ResidencyReportService residency,
    SlaService sla,
    TimeProvider clock)
{
    public const string Action = "audit.evidence_exported";

    /// <summary>Where the package holds the retention archive's files that cover its period.</summary>
    public const string ArchiveFolder = "audit-archive/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        WriteIndented = true,
    };

    /// <summary>Checks the caller (TenantAdmin or Auditor of the tenant) and the period, and records the download.</summary>
    public async Task<ServiceResult<AuditEvidencePlan>> BeginAsync(Caller caller, Guid? tenantId, DateTimeOffset? from, DateTimeOffset? to,
        CancellationToken ct = default)
    {
        if (tenantId is null)
        {
            return ServiceResult<AuditEvidencePlan>.Invalid("tenantId", "Name the tenant whose evidence to package.");
        }

        var scope = AuditReader.ScopeFor(caller, tenantId);
        if (!scope.Succeeded)
        {
            if (scope.Status == ServiceStatus.Forbidden)
            {
                await auditLog.RecordAsync(caller, tenantId, Action, "audit-evidence", tenantId.Value.ToString(), AuditOutcome.Denied, scope.Message,
                    cancellationToken: ct);
            }

            return new ServiceResult<AuditEvidencePlan>(scope.Status, null, scope.Message, scope.Errors);
        }

        if (from is null || to is null)
        {
            return ServiceResult<AuditEvidencePlan>.Invalid(from is null ? "from" : "to", "Give the period: from and to (ISO 8601 times).");
        }

        if (to <= from)
        {
            return ServiceResult<AuditEvidencePlan>.Invalid("to", "The end of the period must be after its start.");
        }

        if (to.Value - from.Value > TimeSpan.FromDays(366))
        {
            return ServiceResult<AuditEvidencePlan>.Invalid("to", "A package covers at most 366 days; make one per year.");
        }

        await auditLog.RecordAsync(caller, tenantId, Action, "audit-evidence", tenantId.Value.ToString(),
            details: new { from = from.Value.ToString("O"), to = to.Value.ToString("O") }, cancellationToken: ct);
        return ServiceResult<AuditEvidencePlan>.Ok(new AuditEvidencePlan(scope.Value!, from.Value.ToUniversalTime(), to.Value.ToUniversalTime()));
    }

    /// <summary>Writes the zip. Every file is built whole first: its hash goes into the index.</summary>
    public async Task WriteAsync(Caller caller, AuditEvidencePlan plan, Stream output, CancellationToken ct = default)
    {
        var tenantId = plan.Scope.TenantId!.Value;
        var files = new List<(string Name, byte[] Content)>();

        var audit = new StringWriter { NewLine = "\n" };
        var written = await exporter.WriteJsonlAsync(audit, plan.Scope, new AuditFilter { From = plan.From, To = plan.To }, clock.GetUtcNow(), ct);
        var auditBytes = new UTF8Encoding(false).GetBytes(audit.ToString());
        files.Add((AuditEvidenceVerifier.AuditFile, auditBytes));
        files.Add(("audit-keys.json", Encoding.UTF8.GetBytes(keys.KeyDocument())));
        // Records the retention archive took out of the live table are not in the export: their signed files are.
        var archives = await archiver.CoveringAsync(plan.Scope, plan.From, plan.To, ct);
        foreach (var archive in archives.Where(a => File.Exists(archiver.PathOf(a))))
        {
            files.Add((ArchiveFolder + archive.FileName, await File.ReadAllBytesAsync(archiver.PathOf(archive), ct)));
        }

        var archivesMissing = archives.Where(a => !File.Exists(archiver.PathOf(a)))
            .Select(a => new { a.FileName, a.FirstSequence, a.LastSequence, a.FileSha256 }).ToList();

        using (var ring = keys.CreateKeyRing())
        {
            var offline = AuditExportVerifier.Verify(new StringReader(audit.ToString()), ring);
            var run = await reader.LatestRunAsync(ct);
            files.Add(("verification.json", JsonSerializer.SerializeToUtf8Bytes(new
            {
                export = new { offline.IsValid, offline.Coverage, offline.RecordCount, offline.CheckpointsVerified, offline.Message, manifest = written.Manifest },
                server = run is null ? null : new { run.StartedAt, run.FinishedAt, run.Full, run.IsValid, run.RecordsVerified, run.FirstBadSequence, run.Problem, run.Message },
                archivesMissing,
            }, Json)));
        }

        var report = await residency.BuildAsync(caller, tenantId, plan.From, plan.To, ct);
        files.Add(("residency.json", JsonSerializer.SerializeToUtf8Bytes<object?>(report.Succeeded ? report.Value : new { error = report.Message }, Json)));

        var months = new List<object>();
        for (var month = SlaMonth.Containing(plan.From); ; month = SlaMonth.Containing(new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1)))
        {
            var list = await sla.ListAsync(caller, tenantId, month, ct);
            months.Add(new { month = $"{month.Year:D4}-{month.Month:D2}", endpoints = list.Value });
            if (month == SlaMonth.Containing(plan.To.AddTicks(-1)))
            {
                break;
            }
        }

        files.Add(("sla.json", JsonSerializer.SerializeToUtf8Bytes(months, Json)));
        files.Add(("access-review.json", JsonSerializer.SerializeToUtf8Bytes(await AccessReviewAsync(tenantId, plan, ct), Json)));

        var index = new AuditEvidenceIndex
        {
            TenantId = tenantId, From = plan.From, To = plan.To, CreatedAt = clock.GetUtcNow(),
            Files = files.Select(f => AuditEvidenceFile.Of(f.Name, f.Content)).ToList(),
        }.SignedBy(keys.Signer);
        files.Add((AuditEvidenceIndex.FileName, Encoding.UTF8.GetBytes(index.ToJson())));

        var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(ct);
                await entry.WriteAsync(content, ct);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(output, ct);
    }

    /// <summary>Who held which role when: members now, and from the trail their changes, look-ins and keys in the period.</summary>
    private async Task<object> AccessReviewAsync(Guid tenantId, AuditEvidencePlan plan, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await db.Memberships.AsNoTracking().Where(m => m.TenantId == tenantId)
            .Select(m => new { m.UserId, Name = m.User!.DisplayName, Email = m.User.Email, m.Role, m.Disabled, m.CreatedAt })
            .ToListAsync(ct);
        var lookIns = await db.SupportLookIns.AsNoTracking()
            .Where(l => l.TenantId == tenantId && l.StartedAt < plan.To && l.ExpiresAt >= plan.From)
            .Select(l => new { l.SupportUserId, l.Reason, l.StartedAt, l.ExpiresAt }).ToListAsync(ct);
        var keysInPeriod = await db.ApiKeys.AsNoTracking()
            .Where(k => k.TenantId == tenantId && ((k.CreatedAt >= plan.From && k.CreatedAt < plan.To) || (k.RevokedAt >= plan.From && k.RevokedAt < plan.To)))
            .Select(k => new { k.Id, k.Name, k.Prefix, k.CreatedAt, k.CreatedBy, k.RevokedAt, k.ExpiresAt }).ToListAsync(ct);
        var changes = await db.AuditRecords.AsNoTracking()
            .Where(r => r.TenantId == tenantId && r.OccurredAt >= plan.From && r.OccurredAt < plan.To
                && (r.Action.StartsWith("member.") || r.Action.StartsWith("invitation.") || r.Action.StartsWith("support.") || r.Action.StartsWith("key.")))
            .OrderBy(r => r.Sequence)
            .Select(r => new { r.Sequence, r.OccurredAt, r.Action, r.Outcome, r.ActorName, r.ActorRoles, r.ResourceType, r.ResourceId, r.Reason, r.Details })
            .ToListAsync(ct);
        return new
        {
            tenantId, from = plan.From, to = plan.To,
            members = members.OrderBy(m => m.Name, StringComparer.Ordinal),
            roleChanges = changes.Where(c => c.Action.StartsWith("member.") || c.Action.StartsWith("invitation.")),
            supportLookIns = lookIns,
            supportLookInRecords = changes.Where(c => c.Action.StartsWith("support.")),
            keysCreatedOrRevoked = keysInPeriod,
            keyRecords = changes.Where(c => c.Action.StartsWith("key.")),
        };
    }
}
