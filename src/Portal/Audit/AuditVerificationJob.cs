using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Audit;

/// <summary>
/// Verifies every chain — the legacy segment, the platform's and each tenant's — from the checkpoint a valid run
/// already covered (incremental) or from its start (full), and records the run. A broken chain raises the alarm the
/// portal shows and enters the trail itself, once per break.
/// </summary>
public sealed class AuditVerificationJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditKeyProvider keys,
    AuditLog auditLog,
    AuditArchiver archiver,
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
        var origin = await AuditChains.OriginAsync(db, cancellationToken);
        var boundaries = await AuditChains.ArchiveBoundariesAsync(db, cancellationToken);
        var chains = (await AuditChains.LastSequencesAsync(db, cancellationToken)).Keys
            .OrderBy(c => c == AuditChain.Legacy ? 0 : c == AuditChain.Platform ? 1 : 2).ThenBy(c => c, StringComparer.Ordinal).ToList();

        // A checkpoint signed before the last valid run started covers a record that run read and found good.
        var coveredBefore = full
            ? null
            : await db.AuditVerificationRuns.AsNoTracking().Where(r => r.IsValid)
                .OrderByDescending(r => r.Id).Select(r => (DateTimeOffset?)r.StartedAt).FirstOrDefaultAsync(cancellationToken);

        var results = new List<(string Chain, AuditVerificationResult Result, bool FromStart)>();
        using var ring = keys.CreateKeyRing();
        foreach (var chain in chains)
        {
            var checkpoints = await db.AuditCheckpoints.AsNoTracking().Where(c => c.Chain == chain).OrderBy(c => c.Sequence).ToListAsync(cancellationToken);
            // An archived chain starts at its archive boundary: the first live record must link to the archive's last hash.
            var start = chain == AuditChain.Legacy ? AuditChainHead.Genesis
                : boundaries.TryGetValue(chain, out var boundary) ? boundary : origin;
            var trusted = coveredBefore is { } before ? checkpoints.LastOrDefault(c => c.SignedAt < before && c.Sequence > start.Sequence) : null;
            var startAfter = trusted is null ? start : AuditChainHead.Of(trusted);
            // Streams the records straight from the reader: memory stays flat over millions of rows.
            var records = db.AuditRecords.AsNoTracking().Where(r => r.Chain == chain && r.Sequence > startAfter.Sequence)
                .OrderBy(r => r.Sequence).AsEnumerable();
            var result = AuditChainVerifier.Verify(records, checkpoints, ring, startAfter, chain: chain);
            results.Add((chain, result, trusted is null));
            if (!result.IsValid)
            {
                break;
            }
        }

        var broken = results.FirstOrDefault(r => !r.Result.IsValid);
        if (broken.Result is null && full && (await archiver.DamagedFilesAsync(cancellationToken)).FirstOrDefault() is { } damaged)
        {
            // The records before the boundary live only in the archive files: a changed or lost file is a break too.
            broken = (damaged.Chain, new AuditVerificationResult
            {
                IsValid = false, RecordsVerified = 0, VerifiedUpTo = 0, VerifiedHash = "", AnchoredUpTo = 0, CheckpointsVerified = 0,
                SignaturesChecked = true, FirstBadSequence = damaged.FirstSequence, Problem = AuditProblem.ArchiveDamaged,
                Message = $"archive file {damaged.FileName} (#{damaged.FirstSequence} to #{damaged.LastSequence}) is missing or does not match its recorded SHA-256",
            }, true);
            results.Add(broken);
        }

        var message = broken.Result is { } bad
            ? $"chain {broken.Chain}: {bad.Message}"
            : $"{results.Sum(r => r.Result.RecordsVerified)} records in {results.Count} chains verified, "
              + $"{results.Sum(r => r.Result.CheckpointsVerified)} checkpoints valid";
        var run = new AuditVerificationRun
        {
            StartedAt = started,
            FinishedAt = clock.GetUtcNow(),
            Full = results.All(r => r.FromStart),
            IsValid = broken.Result is null,
            RecordsVerified = results.Sum(r => r.Result.RecordsVerified),
            VerifiedUpTo = broken.Result?.VerifiedUpTo ?? results.Select(r => r.Result.VerifiedUpTo).DefaultIfEmpty(0).Max(),
            AnchoredUpTo = broken.Result?.AnchoredUpTo ?? results.Select(r => r.Result.AnchoredUpTo).DefaultIfEmpty(0).Max(),
            FirstBadSequence = broken.Result?.FirstBadSequence,
            Problem = broken.Result?.Problem?.ToString(),
            Message = message.Length > 1000 ? message[..1000] : message,
        };

        var previous = await db.AuditVerificationRuns.AsNoTracking().OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        db.AuditVerificationRuns.Add(run);
        await db.SaveChangesAsync(cancellationToken);

        if (!run.IsValid)
        {
            logger.LogCritical("Audit chain verification failed at #{Sequence}: {Message}", run.FirstBadSequence, run.Message);
            if (previous is null || previous.IsValid || previous.FirstBadSequence != run.FirstBadSequence)
            {
                await auditLog.RecordAnonymousAsync("system", "Audit verification", null, "audit.chain_broken", "audit-chain",
                    run.FirstBadSequence?.ToString() ?? "unknown", AuditOutcome.Failure, run.Message,
                    new { chain = broken.Chain, firstBadSequence = run.FirstBadSequence, problem = run.Problem }, cancellationToken);
            }
        }

        return run;
    }
}
