using Microsoft.EntityFrameworkCore;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Observability;

/// <summary>
/// Builds the hour rows missing beside stored minute rows: minutes written before hour rows existed (an upgraded
/// database). The sample writer keeps both levels in step from then on, so this finds nothing on a current database.
/// Enqueued at start-up; safe to run twice or on two instances at once (an hour row that appears meanwhile is kept).
/// </summary>
public sealed class HourRollupBackfillJob(IDbContextFactory<PortalDbContext> dbFactory, ILogger<HourRollupBackfillJob> logger)
{
    // Hours built per transaction, so the sample writer is never blocked for long.
    private const int HoursPerSlice = 24;

    /// <returns>How many hour rows were added.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        List<Guid> endpoints;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            endpoints = await db.MinuteRollups.Select(r => r.EndpointId).Distinct().ToListAsync(cancellationToken);
        }

        var added = 0;
        foreach (var endpoint in endpoints)
        {
            foreach (var hours in (await MissingHoursAsync(endpoint, cancellationToken)).Chunk(HoursPerSlice))
            {
                added += await BuildAsync(endpoint, hours, cancellationToken);
            }
        }

        if (added > 0)
        {
            logger.LogInformation("Built {Count} hour rollups from stored minute rollups.", added);
        }

        return added;
    }

    /// <summary>Starts of the hours where a minute row's hour key has no hour row, oldest first.</summary>
    private async Task<List<DateTimeOffset>> MissingHoursAsync(Guid endpoint, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var minuteKeys = await db.MinuteRollups.AsNoTracking().Where(r => r.EndpointId == endpoint)
            .Select(r => new RollupKey(r.Start, r.EndpointId, r.TargetId, r.Region, r.Tier, r.Traffic)).ToListAsync(cancellationToken);
        var hourKeys = (await db.HourRollups.AsNoTracking().Where(r => r.EndpointId == endpoint)
            .Select(r => new RollupKey(r.Start, r.EndpointId, r.TargetId, r.Region, r.Tier, r.Traffic)).ToListAsync(cancellationToken)).ToHashSet();
        return minuteKeys.Select(RollupLevels.HourOf).Where(k => !hourKeys.Contains(k)).Select(k => k.MinuteStart).Distinct().Order().ToList();
    }

    private async Task<int> BuildAsync(Guid endpoint, DateTimeOffset[] hours, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var from = hours[0];
            var to = hours[^1] + RollupLevels.Hour;
            var existing = (await db.HourRollups.AsNoTracking().Where(r => r.EndpointId == endpoint && r.Start >= from && r.Start < to)
                .ToListAsync(cancellationToken)).Select(r => r.Key).ToHashSet();
            var minutes = await db.MinuteRollups.AsNoTracking().Where(r => r.EndpointId == endpoint && r.Start >= from && r.Start < to)
                .ToListAsync(cancellationToken);
            var tenant = minutes.Count == 0 ? Guid.Empty : minutes[0].TenantId;
            var wanted = hours.ToHashSet();
            var built = RollupLevels.ToHours(minutes.Select(r => r.ToRollup()))
                .Where(h => wanted.Contains(h.Key.MinuteStart) && !existing.Contains(h.Key))
                .Select(h => HourRollupRow.From(tenant, h))
                .ToList();
            db.HourRollups.AddRange(built);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return built.Count;
        }
        catch (DbUpdateException e)
        {
            // Another writer added one of these hours meanwhile: it was built from the same minutes; the next run sees it.
            logger.LogDebug(e, "Hour rollups of {Endpoint} from {From} were written meanwhile.", endpoint, hours[0]);
            return 0;
        }
    }
}
