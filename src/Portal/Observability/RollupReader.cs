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
        var minutes = await db.MinuteRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && ids.Contains(r.EndpointId) && r.Start >= from && r.Start < to
                && (r.Start < plan.HoursFrom || r.Start >= plan.HoursTo))
            .ToListAsync(ct);
        var rollups = minutes.ConvertAll(r => r.ToRollup());
        if (plan.ReadsHours)
        {
            var hours = await db.HourRollups.AsNoTracking()
                .Where(r => r.TenantId == tenantId && ids.Contains(r.EndpointId) && r.Start >= plan.HoursFrom && r.Start < plan.HoursTo)
                .ToListAsync(ct);
            rollups.AddRange(hours.Select(r => r.ToRollup()));
        }

        return rollups;
    }
}
