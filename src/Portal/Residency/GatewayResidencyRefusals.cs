using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Gateway;
using Portal.Data;

namespace Portal.Residency;

/// <summary>
/// Gateway answers of "no capacity in the allowed regions" (503) on locked endpoints, audited without flooding: this
/// instance counts them per endpoint and writes one <c>residency.gateway_refused</c> record per endpoint per minute
/// with the count. Unlocked endpoints' 503s are capacity, not residency, and are not recorded here.
/// </summary>
public sealed class GatewayResidencyRefusals(IServiceScopeFactory scopes, ILogger<GatewayResidencyRefusals> logger) : BackgroundService
{
    public const string Action = "residency.gateway_refused";
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private ConcurrentDictionary<(Guid Tenant, Guid Endpoint), int> _counts = new();

    /// <summary>Called for every sample the gateway writes; cheap, no I/O.</summary>
    public void Observe(RequestSample sample)
    {
        if (sample.ErrorCode == "no_capacity" && sample.EndpointId is { } endpoint)
        {
            _counts.AddOrUpdate((sample.TenantId, endpoint), 1, (_, n) => n + 1);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Auditing the gateway's residency refusals failed; the counts are kept for the next minute.");
            }
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var counts = Interlocked.Exchange(ref _counts, new ConcurrentDictionary<(Guid, Guid), int>());
        await using var scope = scopes.CreateAsyncScope();
        // A gateway-only process has no audit log of its own; its samples still show every 503 in the report's counts.
        if (counts.IsEmpty || scope.ServiceProvider.GetService<AuditLog>() is not { } auditLog)
        {
            return;
        }

        var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct);
        await using (db)
        {
            var locks = await ResidencyLocks.EndpointLocksAsync(db, ct);
            foreach (var ((tenant, endpoint), count) in counts)
            {
                if (locks.GetValueOrDefault(endpoint) is not { } allowed)
                {
                    continue;
                }

                await auditLog.RecordAnonymousAsync("gateway", "Gateway", tenant, Action, "endpoint", endpoint.ToString(), AuditOutcome.Denied,
                    $"{count} request(s) answered 503: no serving capacity inside the region lock ({string.Join(", ", allowed.Order())}).",
                    new { count, allowed = allowed.Order().ToList(), minutes = Interval.TotalMinutes }, ct);
            }
        }
    }
}
