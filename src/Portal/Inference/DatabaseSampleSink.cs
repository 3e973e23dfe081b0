using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Seams;
using Portal.Residency;

namespace Portal.Inference;

/// <summary>
/// Writes the gateway's measured requests in batches, off the request path: the raw rows, their per-minute rollups
/// (merged into any row already stored for the same minute and key) and the keys' last use, in one transaction.
/// On SQLite the raw rows go through one prepared, reused INSERT (<see cref="RawSampleInsert"/>); each batch's rollups are
/// accumulated in memory and written once per key.
/// </summary>
public sealed class DatabaseSampleSink(IDbContextFactory<PortalDbContext> dbFactory, GatewayResidencyRefusals residencyRefusals) : ISampleSink
{
    // Two instances writing the same minute race on the rollup's unique key; the loser reads the winner's row and merges.
    private const int Attempts = 3;

    public async Task WriteBatchAsync(IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await WriteOnceAsync(samples, cancellationToken);
                break;
            }
            catch (DbUpdateException) when (attempt < Attempts)
            {
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
            await RawSampleInsert.RunAsync(db, samples.Select(RequestSampleRow.From), cancellationToken);
        }
        else
        {
            db.RequestSamples.AddRange(samples.Select(RequestSampleRow.From));
        }

        await AddRollupsAsync(db, samples, cancellationToken);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);

        foreach (var (keyId, lastUsed) in samples.GroupBy(s => s.KeyId).Select(g => (g.Key, g.Max(s => s.Timestamp))))
        {
            await db.ApiKeys.Where(k => k.Id == keyId && (k.LastUsedAt == null || k.LastUsedAt < lastUsed))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, lastUsed), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task AddRollupsAsync(PortalDbContext db, IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
    {
        var accumulator = new RollupAccumulator();
        var tenants = new Dictionary<Guid, Guid>();
        foreach (var sample in samples)
        {
            if (ServingTier.FromGateway(sample) is { } latency)
            {
                accumulator.Add(latency);
                tenants[latency.EndpointId] = sample.TenantId;
            }
        }

        var rollups = accumulator.Drain(DateTimeOffset.MaxValue);
        if (rollups.Count == 0)
        {
            return;
        }

        var endpoints = tenants.Keys.ToList();
        var first = rollups.Min(r => r.Key.MinuteStart);
        var last = rollups.Max(r => r.Key.MinuteStart);
        var stored = await db.MinuteRollups
            .Where(r => endpoints.Contains(r.EndpointId) && r.MinuteStart >= first && r.MinuteStart <= last)
            .ToListAsync(cancellationToken);
        var byKey = stored.ToDictionary(r => r.Key);
        foreach (var rollup in rollups)
        {
            if (byKey.TryGetValue(rollup.Key, out var row))
            {
                var merged = row.ToRollup();
                merged.Merge(rollup);
                row.CopyFrom(merged);
            }
            else
            {
                db.MinuteRollups.Add(MinuteRollupRow.From(tenants[rollup.Key.EndpointId], rollup));
            }
        }
    }
}
