using Microsoft.EntityFrameworkCore;
using Portal.Core.Latency;
using Portal.Data;

namespace Portal.Observability;

/// <summary>Reads stored rollups back as mergeable <see cref="MinuteRollup"/>s, at the coarsest level a reader can use.</summary>
public static class RollupReader
{
    /// <summary>
    /// The rollups of <paramref name="endpoints"/> covering [<paramref name="from"/>, <paramref name="to"/>): whole hours
    /// from hour rows when <paramref name="resolution"/> (the reader's finest chart bucket) is a whole number of hours,
    /// the rest from minute rows (<see cref="RollupLevels.Plan"/>). Merged, both give the same counts and histogram.
    /// </summary>
    public static async Task<List<MinuteRollup>> ReadAsync(PortalDbContext db, Guid tenantId, IReadOnlyCollection<Guid> endpoints,
        DateTimeOffset from, DateTimeOffset to, TimeSpan resolution, CancellationToken ct)
    {
        var ids = endpoints.ToList();
        var plan = RollupLevels.Plan(from, to, resolution);
        // Two tight ranges rather than one range with a hole: the hole would still walk every minute of the window.
        var rollups = await ReadMinutesAsync(db, tenantId, ids, plan.From, plan.HoursFrom, ct);
        rollups.AddRange(await ReadMinutesAsync(db, tenantId, ids, plan.HoursTo, plan.To, ct));
        if (plan.ReadsHours)
        {
            var hours = await db.HourRollups.AsNoTracking()
                .Where(r => r.TenantId == tenantId && ids.Contains(r.EndpointId) && r.Start >= plan.HoursFrom && r.Start < plan.HoursTo)
                .ToListAsync(ct);
            rollups.AddRange(hours.Select(r => r.ToRollup()));
        }

        return rollups;
    }

    private static async Task<List<MinuteRollup>> ReadMinutesAsync(PortalDbContext db, Guid tenantId, List<Guid> ids,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        if (to <= from)
        {
            return [];
        }

        var rows = await db.MinuteRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && ids.Contains(r.EndpointId) && r.Start >= from && r.Start < to)
            .ToListAsync(ct);
        return rows.ConvertAll(r => r.ToRollup());
    }
}
