using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Notifications;

namespace Portal.Health;

/// <summary>
/// After each availability tick: every endpoint's monthly uptime error budget against <see cref="ErrorBudgetBurnRule"/>.
/// A burn episode that starts is stored and told once through <see cref="TenantNotices"/> (keyed by the episode), one
/// that ends is closed silently. The stored open episode (one per endpoint, by a unique index) makes a re-run, a restart
/// or a second instance tell nothing twice.
/// </summary>
public sealed class ErrorBudgetBurns(IDbContextFactory<PortalDbContext> dbFactory, SlaService sla, TenantNotices notices, ILogger<ErrorBudgetBurns> logger)
{
    /// <returns>The episodes started in this run.</returns>
    public async Task<IReadOnlyList<ErrorBudgetBurn>> EvaluateAsync(DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // A deleted tenant's endpoints are no one's SLA any more.
        var tenants = await db.Tenants.AsNoTracking().Where(t => t.DeletedAt == null).Select(t => t.Id).ToListAsync(ct);
        var views = await sla.ComputeAtAsync(db, tenants, null, null, now, withLatency: false, ct);
        var endpoints = await db.Endpoints.AsNoTracking().Where(e => tenants.Contains(e.TenantId)).ToDictionaryAsync(e => e.Id, e => e.TenantId, ct);
        var open = await db.ErrorBudgetBurns.Where(b => b.EndedAt == null).ToDictionaryAsync(b => b.EndpointId, ct);
        var month = SlaMonth.Containing(now);
        var started = new List<(ErrorBudgetBurn Burn, string Endpoint, string Text)>();
        foreach (var view in views)
        {
            var budget = ErrorBudget.For(month, view.TargetUptimePercent, view.DownMinutes, now);
            switch (ErrorBudgetBurnRule.Decide(budget, open.ContainsKey(view.EndpointId)))
            {
                case ErrorBudgetBurnAction.Start:
                    var burn = new ErrorBudgetBurn
                    {
                        TenantId = endpoints[view.EndpointId], EndpointId = view.EndpointId, Month = month.ToString(), StartedAt = now,
                        UsedMinutes = budget.UsedMinutes, AllowedMinutes = budget.AllowedMinutes,
                    };
                    db.ErrorBudgetBurns.Add(burn);
                    started.Add((burn, view.Endpoint, ErrorBudgetBurnRule.Describe(budget, view.TargetUptimePercent)));
                    break;
                case ErrorBudgetBurnAction.End:
                    open[view.EndpointId].EndedAt = now;
                    break;
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // Another instance opened the same episode between our read and our save: it tells it.
            logger.LogInformation("Another run opened an error budget burn episode first; this run tells nothing.");
            return [];
        }

        foreach (var (burn, endpoint, text) in started)
        {
            notices.Publish(new TenantNotice(burn.TenantId, TenantNoticeKind.ErrorBudgetBurn, $"budget.burn:sla:{burn.Id:n}",
                $"{endpoint}: uptime error budget burning", text, now)
            {
                Link = $"/health/{burn.EndpointId}",
                Data = new { endpointId = burn.EndpointId, endpoint, month = burn.Month, usedMinutes = burn.UsedMinutes, allowedMinutes = burn.AllowedMinutes },
            });
        }

        return started.Select(s => s.Burn).ToList();
    }
}
