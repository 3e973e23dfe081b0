using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Audit;

/// <summary>Whose records a caller reads: one tenant's, or (Support only) the platform's own.</summary>
public sealed record AuditScope(Guid? TenantId, string Label);

public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, long? Older, long? Newer);

/// <summary>Reads the trail for the auditor's console, the API and exports; every read is scoped server-side.</summary>
public sealed class AuditReader(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    /// <summary>
    /// A tenant's admins and auditors read that tenant's records; Support and operators read platform records (no tenant); support,
    /// during a look-in, the tenant's. Anyone else: not found (another tenant) or forbidden (a developer).
    /// </summary>
    public static ServiceResult<AuditScope> ScopeFor(Caller caller, Guid? tenantId)
    {
        if (tenantId is null)
        {
            return caller.IsSupport || caller.IsOperator
                ? ServiceResult<AuditScope>.Ok(new AuditScope(null, "Platform"))
                : ServiceResult<AuditScope>.Invalid("tenantId", "Name the tenant whose audit log to read.");
        }

        var access = caller.In(tenantId.Value);
        if (access is null)
        {
            return ServiceResult<AuditScope>.NotFound("No such tenant.");
        }

        return AccessPolicy.CanUse(Area.Audit, access.Role, isSupport: false)
            ? ServiceResult<AuditScope>.Ok(new AuditScope(access.TenantId, access.TenantName))
            : ServiceResult<AuditScope>.Forbidden($"The audit log is for TenantAdmin and Auditor; you are {access.Role}.");
    }

    public async Task<AuditPage> PageAsync(AuditScope scope, AuditFilter filter, long? before, long? after, int size, CancellationToken ct = default)
    {
        size = Math.Clamp(size, 1, MaxPageSize);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = filter.Apply(Scoped(db, scope));
        List<AuditRecord> records;
        if (after is { } newerThan)
        {
            records = await query.Where(r => r.Sequence > newerThan).OrderBy(r => r.Sequence).Take(size + 1).ToListAsync(ct);
            var hasNewer = records.Count > size;
            records = records.Take(size).Reverse().ToList();
            return new AuditPage(records, records.Count > 0 ? records[^1].Sequence : null, hasNewer && records.Count > 0 ? records[0].Sequence : null);
        }

        if (before is { } olderThan)
        {
            query = query.Where(r => r.Sequence < olderThan);
        }

        // Keyset paging on the sequence (newest first): the same cost on page 1 and page 20,000.
        records = await query.OrderByDescending(r => r.Sequence).Take(size + 1).ToListAsync(ct);
        var hasOlder = records.Count > size;
        records = records.Take(size).ToList();
        return new AuditPage(records,
            hasOlder ? records[^1].Sequence : null,
            before is not null && records.Count > 0 ? records[0].Sequence : null);
    }

    public async Task<AuditRecord?> FindAsync(AuditScope scope, long sequence, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Scoped(db, scope).SingleOrDefaultAsync(r => r.Sequence == sequence, ct);
    }

    public async Task<long> CountAsync(AuditScope scope, AuditFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await filter.Apply(Scoped(db, scope)).LongCountAsync(ct);
    }

    /// <summary>Oldest first, straight from the reader, for exports.</summary>
    public async IAsyncEnumerable<AuditRecord> StreamAsync(
        AuditScope scope, AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var record in filter.Apply(Scoped(db, scope)).OrderBy(r => r.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return record;
        }
    }

    /// <summary>
    /// What an export of <paramref name="filter"/> carries: a time range selects, in the scope's own chain, every
    /// record from the first in the range to the last (times are taken before sealing, so two neighbours may be a
    /// millisecond out of order, and a range must not leave a hole); any other filter selects record by record.
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> StreamForExportAsync(
        AuditScope scope, AuditFilter filter, AuditChainHead origin, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await ExportQueryAsync(db, scope, filter, origin, ct);
        await foreach (var record in query.OrderBy(r => r.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return record;
        }
    }

    /// <summary>The signed checkpoints of the scope's chain (and of the legacy segment) inside the range of the records an export carries.</summary>
    public async Task<List<AuditCheckpoint>> CheckpointsForAsync(AuditScope scope, AuditFilter filter, AuditChainHead origin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = await ExportQueryAsync(db, scope, filter, origin, ct);
        var range = await query.GroupBy(_ => 1)
            .Select(g => new { Min = g.Min(r => r.Sequence), Max = g.Max(r => r.Sequence) }).FirstOrDefaultAsync(ct);
        if (range is null)
        {
            return [];
        }

        var chain = AuditChain.Of(scope.TenantId);
        return await db.AuditCheckpoints.AsNoTracking()
            .Where(c => (c.Chain == chain || c.Chain == AuditChain.Legacy) && c.Sequence >= range.Min && c.Sequence <= range.Max)
            .OrderBy(c => c.Sequence).ToListAsync(ct);
    }

    private static async Task<IQueryable<AuditRecord>> ExportQueryAsync(
        PortalDbContext db, AuditScope scope, AuditFilter filter, AuditChainHead origin, CancellationToken ct)
    {
        // After an archive, the origin is the archive boundary: what the chain archived before it is not exported
        // (on SQL Server it is still in the table), the tenant's legacy records are.
        var scoped = Scoped(db, scope).Where(r => r.Chain == AuditChain.Legacy || r.Sequence > origin.Sequence);
        var timeOnly = filter with { From = null, To = null };
        if (!timeOnly.IsEmpty || (filter.From is null && filter.To is null))
        {
            return filter.Apply(scoped);
        }

        var ownInRange = filter.Apply(scoped).Where(r => r.Sequence > origin.Sequence);
        var bounds = await ownInRange.GroupBy(_ => 1)
            .Select(g => new { Min = g.Min(r => r.Sequence), Max = g.Max(r => r.Sequence) }).FirstOrDefaultAsync(ct);
        var legacy = filter.Apply(scoped).Where(r => r.Sequence <= origin.Sequence);
        if (bounds is null)
        {
            return legacy;
        }

        return legacy.Concat(scoped.Where(r => r.Sequence >= bounds.Min && r.Sequence <= bounds.Max));
    }

    public async Task<AuditVerificationRun?> LatestRunAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditVerificationRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(ct);
    }

    private static IQueryable<AuditRecord> Scoped(PortalDbContext db, AuditScope scope) =>
        scope.TenantId is { } tenant
            ? db.AuditRecords.AsNoTracking().Where(r => r.TenantId == tenant)
            : db.AuditRecords.AsNoTracking().Where(r => r.TenantId == null);
}
