using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;

namespace Portal.Audit;

/// <summary>Where the chains stand in the store.</summary>
public static class AuditChains
{
    /// <summary>
    /// The last record of <paramref name="chain"/> as <paramref name="db"/> sees it; for a chain without records, its
    /// starting point: the legacy segment's head (or the genesis position when there is no legacy segment).
    /// </summary>
    public static async Task<AuditChainHead> HeadAsync(PortalDbContext db, string chain, CancellationToken cancellationToken = default)
    {
        var head = await LastAsync(db, chain, cancellationToken);
        return head ?? await OriginAsync(db, cancellationToken);
    }

    /// <summary>The position every per-tenant and platform chain starts from: the frozen legacy segment's head.</summary>
    public static async Task<AuditChainHead> OriginAsync(PortalDbContext db, CancellationToken cancellationToken = default) =>
        await LastAsync(db, AuditChain.Legacy, cancellationToken) ?? AuditChainHead.Genesis;

    /// <summary>
    /// Where the live records of every archived chain start: the last archived record (sequence and hash), which the
    /// first live record must link to. A chain without archives starts from <see cref="OriginAsync"/>.
    /// </summary>
    public static async Task<Dictionary<string, AuditChainHead>> ArchiveBoundariesAsync(PortalDbContext db, CancellationToken cancellationToken = default)
    {
        // A register of files, one per chain and month: small enough to read whole.
        var archives = await db.AuditArchives.AsNoTracking()
            .Select(a => new { a.Chain, a.LastSequence, a.LastHash }).ToListAsync(cancellationToken);
        return archives.GroupBy(a => a.Chain, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(a => a.LastSequence)!, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => new AuditChainHead(p.Value.LastSequence, p.Value.LastHash), StringComparer.Ordinal);
    }

    /// <summary>Every chain that has records, with its last sequence number.</summary>
    public static async Task<Dictionary<string, long>> LastSequencesAsync(PortalDbContext db, CancellationToken cancellationToken = default) =>
        await db.AuditRecords.AsNoTracking().GroupBy(r => r.Chain)
            .Select(g => new { Chain = g.Key, Last = g.Max(r => r.Sequence) })
            .ToDictionaryAsync(g => g.Chain, g => g.Last, cancellationToken);

    private static async Task<AuditChainHead?> LastAsync(PortalDbContext db, string chain, CancellationToken cancellationToken)
    {
        var head = await db.AuditRecords.AsNoTracking().Where(r => r.Chain == chain)
            .OrderByDescending(r => r.Sequence)
            .Select(r => new AuditChainHead(r.Sequence, r.Hash))
            .FirstOrDefaultAsync(cancellationToken);
        return head == default ? null : head;
    }
}
