using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Core.Probing;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Observability;
using Portal.Tenancy;

namespace Portal.Health;

/// <summary>What synthetic TTFT probes of a serverless target would cost a month, at its token prices.</summary>
public sealed record TtftProbeCostView(int TokensPerProbe, long ProbesPerMonth, decimal MonthlyUsd);

/// <summary>
/// How a target is probed. <see cref="TtftProbes"/> is whether it gets the synthetic chat request (a dedicated target
/// always; a serverless one when <see cref="TtftProbeOptIn"/>); <see cref="TtftProbeCost"/> is the price of that for a
/// serverless target (null for a dedicated one: its replicas are paid by the hour). The idle gap is the configured one
/// (<see cref="ConfiguredIdleGapSeconds"/>, null when none) or, without it, the learnt or default one in effect.
/// </summary>
public sealed record ProbeSettingsView(
    Guid TargetId, string Target, string Kind, bool TtftProbes, bool TtftProbeOptIn, int TtftProbeIntervalSeconds, TtftProbeCostView? TtftProbeCost,
    double? ConfiguredIdleGapSeconds, double IdleGapSeconds, string IdleGapSource);

/// <summary>The settings as a whole: <c>idleGapSeconds</c> null lets the gap be learnt.</summary>
public sealed record ProbeSettingsRequest(bool TtftProbes, double? IdleGapSeconds);

/// <summary>A target's probe settings: the serverless TTFT probe opt-in and the idle gap. Each change is audited.</summary>
public sealed class ProbeSettingsService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantChangeRunner changes,
    IOptions<HealthOptions> health,
    IOptions<ObservabilityOptions> observability)
{
    public static readonly TimeSpan MaxIdleGap = TimeSpan.FromDays(1);

    private static readonly ChangePermission Permission = new(AccessPolicy.CanSetProbes, "Only admins set how targets are probed");

    public async Task<ServiceResult<ProbeSettingsView>> GetAsync(Caller caller, Guid tenantId, Guid targetId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<ProbeSettingsView>.NotFound("No such target.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.Targets.AsNoTracking().SingleOrDefaultAsync(t => t.Id == targetId && t.TenantId == tenantId, ct);
        return target is null ? ServiceResult<ProbeSettingsView>.NotFound("No such target.") : ServiceResult<ProbeSettingsView>.Ok(await ViewAsync(db, target, ct));
    }

    public Task<ServiceResult<ProbeSettingsView>> SetAsync(Caller caller, Guid tenantId, Guid targetId, ProbeSettingsRequest request, CancellationToken ct = default)
    {
        var change = new TenantChange(caller, tenantId, Permission, "target.probes", "target", targetId.ToString())
        {
            InputErrors = request.IdleGapSeconds is { } gap && (double.IsNaN(gap) || gap < 1 || gap > MaxIdleGap.TotalSeconds)
                ? new Dictionary<string, string[]> { ["IdleGapSeconds"] = [$"An idle gap is between 1 and {MaxIdleGap.TotalSeconds:0} seconds; leave it empty to learn it from cold starts."] }
                : null,
            OperatorMayAct = true,
        };
        return changes.RunAsync(change, async db =>
        {
            var target = await db.Targets.SingleOrDefaultAsync(t => t.Id == targetId && t.TenantId == tenantId, ct);
            if (target is null)
            {
                return ServiceResult<ProbeSettingsView>.NotFound("No such target.");
            }

            if (target.Kind == TargetKind.Dedicated && !request.TtftProbes)
            {
                return ServiceResult<ProbeSettingsView>.Invalid("TtftProbes",
                    "A dedicated target is always probed: its replicas stay warm and are paid by the hour, so a probe costs nothing.");
            }

            var optIn = target.Kind == TargetKind.Serverless && request.TtftProbes;
            var before = new { ttftProbeOptIn = target.TtftProbeOptIn, idleGapSeconds = target.IdleGapSeconds };
            if (before.ttftProbeOptIn == optIn && before.idleGapSeconds == request.IdleGapSeconds)
            {
                return ChangeOutcome.Unchanged(await ViewAsync(db, target, ct));
            }

            (target.TtftProbeOptIn, target.IdleGapSeconds) = (optIn, request.IdleGapSeconds);
            var cost = Cost(target);
            return ChangeOutcome.Save(
                new ChangeRecord("target.probes_set", new
                {
                    name = target.Name, before, after = new { ttftProbeOptIn = optIn, idleGapSeconds = request.IdleGapSeconds },
                    ttftProbeMonthlyUsd = optIn ? cost?.MonthlyUsd : null,
                }),
                async () =>
                {
                    // Read back after the commit, for the caller that made the change (a platform operator included).
                    await using var read = await dbFactory.CreateDbContextAsync(ct);
                    var saved = await read.Targets.AsNoTracking().SingleAsync(t => t.Id == targetId, ct);
                    return ServiceResult<ProbeSettingsView>.Ok(await ViewAsync(read, saved, ct));
                });
        }, ct);
    }

    private async Task<ProbeSettingsView> ViewAsync(PortalDbContext db, Target target, CancellationToken ct)
    {
        var gap = await IdleGaps.ForAsync(db, target, observability.Value, ct);
        var serverless = target.Kind == TargetKind.Serverless;
        return new ProbeSettingsView(target.Id, target.Name, target.Kind.ToString(), TtftProbePolicy.ShouldProbe(serverless, target.TtftProbeOptIn),
            serverless && target.TtftProbeOptIn, health.Value.TtftProbeInterval, Cost(target), target.IdleGapSeconds, gap.Length.TotalSeconds,
            TtftService.Source(gap.Source));
    }

    private TtftProbeCostView? Cost(Target target)
    {
        if (target.Kind != TargetKind.Serverless)
        {
            return null;
        }

        var cost = TtftProbePolicy.MonthlyCost(TimeSpan.FromSeconds(health.Value.TtftProbeInterval),
            new TokenPrices(target.InputPricePerMillion, target.OutputPricePerMillion));
        return new TtftProbeCostView(cost.TokensPerProbe, cost.ProbesPerMonth, decimal.Round(cost.MonthlyUsd, 2));
    }
}
