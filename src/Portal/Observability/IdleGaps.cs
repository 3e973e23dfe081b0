using Microsoft.EntityFrameworkCore;
using Portal.Core.Latency;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Observability;

/// <summary>
/// A target's idle gap as <see cref="IdleGapRule"/> decides it: configured on the target, else learnt from the silences
/// before its recent cold starts in the stored samples, else <c>Observability:IdleGapMinutes</c>.
/// </summary>
public static class IdleGaps
{
    /// <summary>Cold starts read per target to learn from: enough for the rule's five after skipping those inside a reload.</summary>
    private const int ColdStartsRead = 40;

    public static async Task<IdleGap> ForAsync(PortalDbContext db, Target target, ObservabilityOptions options, CancellationToken ct)
    {
        var fallback = TimeSpan.FromMinutes(options.IdleGapMinutes);
        var configured = target.IdleGapSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return configured is not null
            ? IdleGapRule.Choose(configured, null, fallback)
            : IdleGapRule.Choose(null, IdleGapRule.Learn(await SilencesAsync(db, target, ct)), fallback);
    }

    private static async Task<List<ColdStartSilence>> SilencesAsync(PortalDbContext db, Target target, CancellationToken ct)
    {
        var coldStarts = await db.RequestSamples.AsNoTracking()
            .Where(s => s.TenantId == target.TenantId && s.TargetId == target.Id && s.ColdStart && !s.Shadow)
            .OrderByDescending(s => s.Timestamp)
            .Select(s => s.Timestamp)
            .Take(ColdStartsRead)
            .ToListAsync(ct);
        var silences = new List<ColdStartSilence>();
        foreach (var at in coldStarts)
        {
            // Any request to the target keeps it warm, whatever its kind.
            var previous = await db.RequestSamples.AsNoTracking()
                .Where(s => s.TenantId == target.TenantId && s.TargetId == target.Id && s.Timestamp < at)
                .OrderByDescending(s => s.Timestamp)
                .Select(s => new { s.Timestamp, s.ColdStart, s.TtftMs })
                .FirstOrDefaultAsync(ct);
            var duringReload = previous is { ColdStart: true } && at < previous.Timestamp.AddMilliseconds(previous.TtftMs ?? 0);
            silences.Add(new ColdStartSilence(at, at - previous?.Timestamp, duringReload));
            if (silences.Count(s => s is { ArrivedDuringReload: false, Silence: { } v } && v >= IdleGapRule.Floor) >= IdleGapRule.Recent)
            {
                break;
            }
        }

        return silences;
    }
}
