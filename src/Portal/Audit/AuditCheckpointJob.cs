using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;

namespace Portal.Audit;

/// <summary>Signs a checkpoint over the chain's head when it moved. Safe to run twice: one checkpoint per sequence.</summary>
public sealed class AuditCheckpointJob(IDbContextFactory<PortalDbContext> dbFactory, AuditKeyProvider keys, TimeProvider clock)
{
    public const string RecurringId = "audit-checkpoint";

    public async Task<AuditCheckpoint?> RunAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var head = await db.AuditRecords.AsNoTracking().OrderByDescending(r => r.Sequence)
            .Select(r => new AuditChainHead(r.Sequence, r.Hash)).FirstOrDefaultAsync(cancellationToken);
        if (head == default || await db.AuditCheckpoints.AnyAsync(c => c.Sequence >= head.Sequence, cancellationToken))
        {
            return null;
        }

        var checkpoint = keys.Signer.Sign(head, clock.GetUtcNow());
        db.AuditCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return checkpoint;
        }
        catch (DbUpdateException)
        {
            return null; // Another instance signed the same head first.
        }
    }
}
