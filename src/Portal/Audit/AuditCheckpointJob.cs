using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Signs a checkpoint over the head of every chain that moved since its last checkpoint (the frozen legacy segment
/// keeps the checkpoints it has). Safe to run twice: one checkpoint per chain and sequence.
/// </summary>
public sealed class AuditCheckpointJob(IDbContextFactory<PortalDbContext> dbFactory, AuditKeyProvider keys, TimeProvider clock)
{
    public const string RecurringId = "audit-checkpoint";

    /// <summary>The checkpoints signed by this run, one per chain that moved.</summary>
    public async Task<IReadOnlyList<AuditCheckpoint>> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var heads = await AuditChains.LastSequencesAsync(db, cancellationToken);
        var signed = await db.AuditCheckpoints.AsNoTracking().GroupBy(c => c.Chain)
            .Select(g => new { Chain = g.Key, Last = g.Max(c => c.Sequence) })
            .ToDictionaryAsync(g => g.Chain, g => g.Last, cancellationToken);
        var moved = heads.Where(h => h.Key != AuditChain.Legacy && (!signed.TryGetValue(h.Key, out var last) || last < h.Value))
            .OrderBy(h => h.Key, StringComparer.Ordinal).ToList();

        var checkpoints = new List<AuditCheckpoint>();
        foreach (var (chain, sequence) in moved)
        {
            var hash = await db.AuditRecords.AsNoTracking().Where(r => r.Chain == chain && r.Sequence == sequence)
                .Select(r => r.Hash).SingleAsync(cancellationToken);
            var checkpoint = keys.Signer.Sign(chain, new AuditChainHead(sequence, hash), clock.GetUtcNow());
            db.AuditCheckpoints.Add(checkpoint);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                checkpoints.Add(checkpoint);
            }
            catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
            {
                db.Entry(checkpoint).State = EntityState.Detached; // Another instance signed the same head first.
            }
        }

        return checkpoints;
    }
}
