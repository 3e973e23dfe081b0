using Microsoft.EntityFrameworkCore;
using Portal.Core.Gateway;
using Portal.Core.Latency;
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
/// accumulated in memory and written once per key.
/// </summary>
public sealed class DatabaseSampleSink(
    IDbContextFactory<PortalDbContext> dbFactory, GatewayResidencyRefusals residencyRefusals, DryRunTraffic dryRuns) : ISampleSink
{
    // Two instances writing the same minute race on the rollup's unique key; the loser reads the winner's row and merges.
    private const int Attempts = 3;

    // Built on the first batch; batches are written one at a time (SampleWriter), so no two threads race to build it.
    private RawSampleInsert? _rawInsert;

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
            _rawInsert ??= new RawSampleInsert(db.Model);
            await _rawInsert.RunAsync(db, [.. samples.Select(RequestSampleRow.From)], cancellationToken);
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

        // Hours first: a missing hour row is seeded from the minute rows already stored, read before this batch changes them.
        await AddHourRollupsAsync(db, RollupLevels.ToHours(rollups), endpoints, tenants, cancellationToken);

        var stored = await db.MinuteRollups
            .Where(r => endpoints.Contains(r.EndpointId) && r.Start >= first && r.Start <= last)
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

    /// <summary>
    /// Merges the batch's hours into their stored hour rows. An hour with no row yet (its first batch, or minutes written
    /// before hour rows existed) starts from the merge of the minute rows already stored for it, so an hour row always
    /// equals the merge of its minutes.
    /// </summary>
    private static async Task AddHourRollupsAsync(PortalDbContext db, IReadOnlyList<MinuteRollup> hours, List<Guid> endpoints,
        Dictionary<Guid, Guid> tenants, CancellationToken cancellationToken)
    {
        var first = hours[0].Key.MinuteStart;
        var last = hours[^1].Key.MinuteStart;
        var stored = (await db.HourRollups
            .Where(r => endpoints.Contains(r.EndpointId) && r.Start >= first && r.Start <= last)
            .ToListAsync(cancellationToken)).ToDictionary(r => r.Key);
        var missing = hours.Where(h => !stored.ContainsKey(h.Key)).ToList();
        var seeds = new Dictionary<RollupKey, MinuteRollup>();
        if (missing.Count > 0)
        {
            var missingEndpoints = missing.Select(h => h.Key.EndpointId).Distinct().ToList();
            var from = missing.Min(h => h.Key.MinuteStart);
            var to = missing.Max(h => h.Key.MinuteStart) + RollupLevels.Hour;
            var minutes = await db.MinuteRollups.AsNoTracking()
                .Where(r => missingEndpoints.Contains(r.EndpointId) && r.Start >= from && r.Start < to)
                .ToListAsync(cancellationToken);
            seeds = RollupLevels.ToHours(minutes.Select(r => r.ToRollup())).ToDictionary(h => h.Key);
        }

        foreach (var hour in hours)
        {
            if (stored.TryGetValue(hour.Key, out var row))
            {
                var merged = row.ToRollup();
                merged.Merge(hour);
                row.CopyFrom(merged);
            }
            else
            {
                var seeded = seeds.GetValueOrDefault(hour.Key) ?? new MinuteRollup(hour.Key);
                seeded.Merge(hour);
                db.HourRollups.Add(HourRollupRow.From(tenants[hour.Key.EndpointId], seeded));
            }
        }
    }
}
