using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Audit;

/// <summary>
/// Verifies the chain — from the last checkpoint a valid run anchored (incremental) or from record #1 (full) — and
/// records the run. A broken chain raises the alarm the portal shows and enters the trail itself, once per break.
/// </summary>
public sealed class AuditVerificationJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditKeyProvider keys,
    AuditLog auditLog,
    TimeProvider clock,
    ILogger<AuditVerificationJob> logger)
{
    public const string RecurringId = "audit-verify";
    public const string FullRecurringId = "audit-verify-full";

    public async Task<AuditVerificationRun> RunAsync(bool full, CancellationToken cancellationToken = default)
    {
        var started = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var checkpoints = await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Sequence).ToListAsync(cancellationToken);

        AuditChainHead? startAfter = null;
        if (!full)
        {
            var anchored = await db.AuditVerificationRuns.AsNoTracking().Where(r => r.IsValid)
                .OrderByDescending(r => r.Id).Select(r => (long?)r.AnchoredUpTo).FirstOrDefaultAsync(cancellationToken);
            var trusted = checkpoints.LastOrDefault(c => c.Sequence <= (anchored ?? 0));
            startAfter = trusted is null ? null : AuditChainHead.Of(trusted);
        }

        var from = startAfter?.Sequence ?? 0;
        // Streams the records straight from the reader: memory stays flat over millions of rows.
        var records = db.AuditRecords.AsNoTracking().Where(r => r.Sequence > from).OrderBy(r => r.Sequence).AsEnumerable();
        var result = AuditChainVerifier.Verify(records, checkpoints, keys.CreateVerifier(), startAfter);

        var run = new AuditVerificationRun
        {
            StartedAt = started,
            FinishedAt = clock.GetUtcNow(),
            Full = full || startAfter is null,
            IsValid = result.IsValid,
            RecordsVerified = result.RecordsVerified,
            VerifiedUpTo = result.VerifiedUpTo,
            AnchoredUpTo = result.AnchoredUpTo,
            FirstBadSequence = result.FirstBadSequence,
            Problem = result.Problem?.ToString(),
            Message = result.Message.Length > 1000 ? result.Message[..1000] : result.Message,
        };

        var previous = await db.AuditVerificationRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        db.AuditVerificationRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        if (!result.IsValid)
        {
            logger.LogCritical("Audit chain verification failed at #{Sequence}: {Message}", result.FirstBadSequence, result.Message);
            if (previous is null || previous.IsValid || previous.FirstBadSequence != run.FirstBadSequence)
            {
                await auditLog.RecordAnonymousAsync("system", "Audit verification", null, "audit.chain_broken", "audit-chain",
                    run.FirstBadSequence?.ToString() ?? "unknown", AuditOutcome.Failure, result.Message,
                    new { firstBadSequence = run.FirstBadSequence, problem = run.Problem }, cancellationToken);
            }
        }

        return run;
    }
}
