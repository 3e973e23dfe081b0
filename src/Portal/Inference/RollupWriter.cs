using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Core.Gateway;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Inference;

/// <summary>
/// Merges a batch's per-minute and per-hour rollups into their stored rows, inside the sample sink's transaction.
/// </summary>
/// <remarks>
/// <para>The rows the previous batch stored are kept in memory (each row's id, counts and decoded histogram as written),
/// so a busy key's rows are not read, decoded and re-read on every batch: at 20,000 samples a second that round trip
/// was a quarter of the sink's CPU. Only the previous batch's rows are kept, so memory stays bounded by one batch.</para>
/// <para>Several portal processes may write the same rows (a gateway-only process beside the full portal). So every
/// update of a stored row, kept or read, is conditional on the row still holding the request count this writer last
/// saw; every merge raises that count, so it changes whenever another process merged in between. If it did, the
/// update changes nothing, the batch fails with <see cref="DbUpdateConcurrencyException"/>, the kept rows are dropped
/// and the sink's retry reads them afresh.</para>
/// <para>Not thread-safe: the sink writes one batch at a time, and calls <see cref="Committed"/> or
/// <see cref="Forget"/> after each.</para>
/// </remarks>
internal sealed class RollupWriter
{
    private readonly Level<MinuteRollupRow> _minutes = new(db => db.MinuteRollups, MinuteRollupRow.From);
    private readonly Level<HourRollupRow> _hours = new(db => db.HourRollups, HourRollupRow.From);

    /// <summary>Adds the rollups of <paramref name="samples"/>; new rows are added to <paramref name="db"/> for its SaveChanges.</summary>
    public async Task AddAsync(PortalDbContext db, IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
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

        var minutes = accumulator.Drain(DateTimeOffset.MaxValue);
        if (minutes.Count == 0)
        {
            return;
        }

        // Hours first: a missing hour row is seeded from the minute rows already stored, read before this batch changes them.
        var hours = RollupLevels.ToHours(minutes);
        var storedHours = await _hours.ReadUnkeptAsync(db, hours, cancellationToken);
        var seeds = await SeedsAsync(db, [.. hours.Where(h => !_hours.Keeps(h.Key) && !storedHours.ContainsKey(h.Key))], cancellationToken);
        foreach (var hour in hours)
        {
            await _hours.MergeAsync(db, hour, storedHours, tenants, seeds.GetValueOrDefault(hour.Key), cancellationToken);
        }

        var storedMinutes = await _minutes.ReadUnkeptAsync(db, minutes, cancellationToken);
        foreach (var minute in minutes)
        {
            await _minutes.MergeAsync(db, minute, storedMinutes, tenants, seed: null, cancellationToken);
        }
    }

    /// <summary>The batch's transaction committed: its rows, as written, are what the next batch starts from.</summary>
    public void Committed()
    {
        _minutes.Committed();
        _hours.Committed();
    }

    /// <summary>The batch failed: what was kept may no longer be what is stored, so the next attempt reads every row.</summary>
    public void Forget()
    {
        _minutes.Forget();
        _hours.Forget();
    }

    /// <summary>
    /// For hours with no row yet (their first batch, or minutes written before hour rows existed): the merge of the minute
    /// rows already stored for them, so an hour row always equals the merge of its minutes.
    /// </summary>
    private static async Task<Dictionary<RollupKey, MinuteRollup>> SeedsAsync(PortalDbContext db, List<MinuteRollup> missing,
        CancellationToken cancellationToken)
    {
        if (missing.Count == 0)
        {
            return [];
        }

        var endpoints = missing.Select(h => h.Key.EndpointId).Distinct().ToList();
        var from = missing.Min(h => h.Key.MinuteStart);
        var to = missing.Max(h => h.Key.MinuteStart) + RollupLevels.Hour;
        var minutes = await db.MinuteRollups.AsNoTracking()
            .Where(r => endpoints.Contains(r.EndpointId) && r.Start >= from && r.Start < to)
            .ToListAsync(cancellationToken);
        return RollupLevels.ToHours(minutes.Select(r => r.ToRollup())).ToDictionary(h => h.Key);
    }

    /// <summary>A row as this process last wrote it: its id, and its counts and histogram.</summary>
    private sealed record Kept(long Id, MinuteRollup Rollup);

    /// <summary>One level's rows (minutes or hours): those kept from the last batch, and those this batch writes.</summary>
    private sealed class Level<TRow>(Func<PortalDbContext, DbSet<TRow>> rows, Func<Guid, MinuteRollup, TRow> newRow)
        where TRow : RollupRow
    {
        private Dictionary<RollupKey, Kept> _kept = [];
        private Dictionary<RollupKey, Kept> _written = [];
        private readonly List<(TRow Row, MinuteRollup Rollup)> _inserted = [];

        // Raw SQL rather than ExecuteUpdate: EF translates an ExecuteUpdate's expression again on every call, which cost
        // more than the update itself for the few rows a batch writes.
        private string? _updateSql;

        // A raw parameter cannot be a typed null; no TTFT is negative, so this stands for "no cold start" (NULLIF).
        private const double NoColdStart = -1;

        public bool Keeps(RollupKey key) => _kept.ContainsKey(key);

        private string UpdateSql(PortalDbContext db)
        {
            if (_updateSql is null)
            {
                var entity = db.Model.FindEntityType(typeof(TRow))!;
                var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
                var sql = db.GetService<ISqlGenerationHelper>();
                string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
                string[] set = [nameof(RollupRow.Requests), nameof(RollupRow.Errors), nameof(RollupRow.ColdStarts), nameof(RollupRow.PromptTokens),
                    nameof(RollupRow.CompletionTokens), nameof(RollupRow.MaxColdStartTtftMs), nameof(RollupRow.Histogram)];
                _updateSql = $"UPDATE {sql.DelimitIdentifier(table.Name, table.Schema)} SET " +
                    string.Join(", ", set.Select((property, i) => property == nameof(RollupRow.MaxColdStartTtftMs)
                        ? $"{Column(property)} = NULLIF({{{i}}}, -1.0)"
                        : $"{Column(property)} = {{{i}}}")) +
                    $" WHERE {Column(nameof(RollupRow.Id))} = {{{set.Length}}} AND {Column(nameof(RollupRow.Requests))} = {{{set.Length + 1}}}";
            }

            return _updateSql;
        }

        /// <summary>The stored rows of the keys not kept from the previous batch, read in one query.</summary>
        public async Task<Dictionary<RollupKey, TRow>> ReadUnkeptAsync(PortalDbContext db, IReadOnlyList<MinuteRollup> rollups,
            CancellationToken cancellationToken)
        {
            var unkept = rollups.Where(r => !_kept.ContainsKey(r.Key)).ToList();
            if (unkept.Count == 0)
            {
                return [];
            }

            var endpoints = unkept.Select(r => r.Key.EndpointId).Distinct().ToList();
            var first = unkept.Min(r => r.Key.MinuteStart);
            var last = unkept.Max(r => r.Key.MinuteStart);
            var stored = await rows(db).AsNoTracking()
                .Where(r => endpoints.Contains(r.EndpointId) && r.Start >= first && r.Start <= last)
                .ToListAsync(cancellationToken);
            return stored.ToDictionary(r => r.Key);
        }

        /// <summary>Merges <paramref name="batch"/> into its row: kept, read, or (with <paramref name="seed"/>, if any) new.</summary>
        public async Task MergeAsync(PortalDbContext db, MinuteRollup batch, Dictionary<RollupKey, TRow> stored,
            Dictionary<Guid, Guid> tenants, MinuteRollup? seed, CancellationToken cancellationToken)
        {
            if (!_kept.TryGetValue(batch.Key, out var current))
            {
                if (!stored.TryGetValue(batch.Key, out var row))
                {
                    var added = seed ?? new MinuteRollup(batch.Key);
                    added.Merge(batch);
                    var inserted = newRow(tenants[batch.Key.EndpointId], added);
                    db.Add(inserted);
                    _inserted.Add((inserted, added));
                    return;
                }

                current = new Kept(row.Id, row.ToRollup());
            }

            var expected = current.Rollup.Requests;
            var merged = current.Rollup;
            merged.Merge(batch);
            var histogram = merged.Ttft.ToBytes();
            var changed = await db.Database.ExecuteSqlRawAsync(UpdateSql(db), [merged.Requests, merged.Errors, merged.ColdStarts,
                merged.PromptTokens, merged.CompletionTokens, merged.MaxColdStartTtftMs ?? NoColdStart, histogram, current.Id, expected], cancellationToken);
            if (changed == 0)
            {
                throw new DbUpdateConcurrencyException(
                    $"The {typeof(TRow).Name} of {batch.Key} changed since this process last wrote it; the batch is written again from the stored rows.");
            }

            _written[batch.Key] = current;
        }

        public void Committed()
        {
            foreach (var (row, rollup) in _inserted)
            {
                _written[rollup.Key] = new Kept(row.Id, rollup);
            }

            (_kept, _written) = (_written, _kept);
            _written.Clear();
            _inserted.Clear();
        }

        public void Forget()
        {
            _kept.Clear();
            _written.Clear();
            _inserted.Clear();
        }
    }
}
