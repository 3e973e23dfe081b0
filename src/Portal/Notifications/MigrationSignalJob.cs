using Hangfire;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Notifications;
using Portal.Core.Signals;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Hosting;
using Portal.Observability;

namespace Portal.Notifications;

/// <summary>
/// Every quarter of an hour: evaluates every endpoint's migration signals, stores each signal's verdict, and tells the
/// tenant when one starts or stops firing (<see cref="SignalChangeRule"/>). The verdict is saved before the notice is
/// published, so a re-run finds nothing changed; one instance at a time.
/// </summary>
public sealed class MigrationSignalJob(
    IDbContextFactory<PortalDbContext> dbFactory, SignalsService signals, TenantNotices notices, JobStorage jobStorage, TimeProvider clock)
{
    public const string JobId = "notification-migration-signals";

    [AutomaticRetry(Attempts = 0)]
    public Task RunAsync(CancellationToken ct) =>
        OneInstanceAtATime.RunAsync(jobStorage, "notifications:migration-signals", () => EvaluateAsync(ct));

    public async Task EvaluateAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var reports = await signals.AssessEveryEndpointAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var stored = await db.MigrationSignalStates.ToDictionaryAsync(s => (s.EndpointId, s.Signal), ct);
        var told = new List<TenantNotice>();
        foreach (var (tenantId, endpointId, report) in reports)
        {
            foreach (var signal in report.Signals)
            {
                if (!Enum.TryParse<SignalState>(signal.State, ignoreCase: true, out var state))
                {
                    continue;
                }

                stored.TryGetValue((endpointId, signal.Kind), out var row);
                SignalState? previous = row is not null && Enum.TryParse<SignalState>(row.State, out var before) ? before : null;
                if (row is null)
                {
                    row = new MigrationSignalState { EndpointId = endpointId, Signal = signal.Kind, TenantId = tenantId, State = state.ToString(), ChangedAt = now };
                    db.MigrationSignalStates.Add(row);
                }
                else if (previous != state)
                {
                    row.State = state.ToString();
                    row.ChangedAt = now;
                }

                row.EvaluatedAt = now;
                if (SignalChangeRule.ShouldTell(previous, state))
                {
                    var firing = state == SignalState.Fires;
                    told.Add(new TenantNotice(tenantId, TenantNoticeKind.MigrationSignalChanged, $"signal.changed:{endpointId:n}:{signal.Kind}:{now.UtcTicks}",
                        $"{report.Model}: {signal.Title} {(firing ? "now fires" : "no longer fires")}",
                        $"{signal.Detail} {report.Recommendation}", now)
                    {
                        Link = $"/migration?model={Uri.EscapeDataString(report.Model)}",
                        Data = new { endpointId, model = report.Model, signal = signal.Kind, state = signal.State, previous = previous?.ToString(), signal.Value, signal.Threshold },
                    });
                }
            }
        }

        await db.SaveChangesAsync(ct);
        foreach (var notice in told)
        {
            notices.Publish(notice);
        }
    }
}
