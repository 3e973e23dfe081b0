using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Seams;
using Portal.Migration.DryRun;
using Portal.Residency;

namespace Portal.Inference;

/// <summary>
/// Writes the gateway's measured requests in batches, off the request path: the raw rows, their per-minute and per-hour
/// rollups (merged into any row already stored for the same period and key) and the keys' last use, in one transaction.
/// On SQLite the raw rows go through SQLite's own prepared statements, bound by position (<see cref="RawSampleInsert"/>); each batch's rollups are
/// accumulated in memory and written once per key (<see cref="RollupWriter"/>).
/// </summary>
public sealed class DatabaseSampleSink(
    IDbContextFactory<PortalDbContext> dbFactory, GatewayResidencyRefusals residencyRefusals, DryRunTraffic dryRuns) : ISampleSink
{
    // Two instances writing the same minute race on the rollup's unique key, or on a row's count (RollupWriter); the loser
    // reads the winner's row and merges.
    private const int Attempts = 3;

    // Built on the first batch; batches are written one at a time (SampleWriter), so no two threads race to build it.
    private RawSampleInsert? _rawInsert;

    // Holds the rows the last batch wrote; one batch at a time, as above.
    private readonly RollupWriter _rollups = new();

    public async Task WriteBatchAsync(IReadOnlyList<RequestSample> batch, CancellationToken cancellationToken)
    {
        // The one place dry-run traffic leaves production's path: its samples go back to the dry run that replayed them
        // and never into the raw samples, the rollups or a key's last use, so no production figure can count them.
        var samples = batch.Where(s => s.DryRunId is null).ToList();
        foreach (var sample in batch.Where(s => s.DryRunId is not null))
        {
            dryRuns.Accept(sample);
        }

        if (samples.Count == 0)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteOnceAsync(samples, cancellationToken);
                _rollups.Committed();
                break;
            }
            catch (Exception failed)
            {
                _rollups.Forget();
                if (failed is not DbUpdateException || attempt == Attempts)
                {
                    throw;
                }
            }
        }

        // Counted once the batch is stored, so a retried batch is not counted twice.
        foreach (var sample in samples)
        {
            residencyRefusals.Observe(sample);
        }
    }

    private async Task WriteOnceAsync(IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsSqlite())
        {
            _rawInsert ??= new RawSampleInsert(db.Model);
            await _rawInsert.RunAsync(db, [.. samples.Select(RequestSampleRow.From)], cancellationToken);
        }
        else
        {
            db.RequestSamples.AddRange(samples.Select(RequestSampleRow.From));
        }

        await _rollups.AddAsync(db, samples, cancellationToken);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (keyId, lastUsed) in samples.GroupBy(s => s.KeyId).Select(g => (g.Key, g.Max(s => s.Timestamp))))
        {
            await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < lastUsed))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, lastUsed), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
