using Microsoft.EntityFrameworkCore;
using Portal.Core.Latency;
using Portal.Data;

namespace Portal.Observability;

/// <summary>Reads stored minute rollups back as mergeable <see cref="MinuteRollup"/>s.</summary>
public static class RollupReader
{
    /// <summary>The rollups of <paramref name="endpoints"/> whose minute starts in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static async Task<List<MinuteRollup>> ReadAsync(
        PortalDbContext db, Guid tenantId, IReadOnlyCollection<Guid> endpoints, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var ids = endpoints.ToList();
        var rows = await db.MinuteRollups.AsNoTracking()
            .Where(r => r.TenantId == tenantId && ids.Contains(r.EndpointId) && r.MinuteStart >= from && r.MinuteStart < to)
            .ToListAsync(ct);
        return rows.ConvertAll(r => r.ToRollup());
    }
}
