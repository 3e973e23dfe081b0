using Portal.Core.Latency;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Observability;

namespace Portal.Health;

/// <summary>
/// Reads an endpoint's stored rollups for its objective: the window, the last hour and the last day ending at a moment,
/// production traffic only (probes and shadow copies are other traffic kinds of the rollup key), merged exactly.
/// </summary>
public static class LatencyObjectiveMeasure
{
    public static async Task<LatencyCompliance> EvaluateAsync(PortalDbContext db, Guid tenantId, Guid endpointId, LatencyObjective objective,
        DateTimeOffset now, CancellationToken ct)
    {
        // The hour is read from minutes; the day and the window read their whole hours from the hour level.
        var window = await ProductionAsync(db, tenantId, endpointId, now - objective.Window, now, RollupLevels.Hour, ct);
        var day = await ProductionAsync(db, tenantId, endpointId, now - TimeSpan.FromDays(1), now, RollupLevels.Hour, ct);
        var hour = await ProductionAsync(db, tenantId, endpointId, now - RollupLevels.Hour, now, TimeSpan.FromMinutes(1), ct);
        return LatencyObjectiveCheck.Evaluate(objective, window, hour, day);
    }

    private static async Task<LatencyHistogram> ProductionAsync(PortalDbContext db, Guid tenantId, Guid endpointId, DateTimeOffset from,
        DateTimeOffset to, TimeSpan resolution, CancellationToken ct)
    {
        var rollups = await RollupReader.ReadAsync(db, tenantId, [endpointId], from, to, resolution, ct);
        return LatencyHistogram.Combine(rollups.Where(r => r.Key.Traffic == TrafficKind.Production).Select(r => r.Ttft));
    }
}
