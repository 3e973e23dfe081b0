using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Health;
using Portal.Tests.Support;

namespace Portal.Tests.Health;

/// <summary>Probe ticks are counted once per window, across a portal restart and across two instances.</summary>
public sealed class ProbeIdempotencyTests
{
    private static async Task TickAsync(PortalApp app, DateTimeOffset at)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(at, CancellationToken.None);
    }

    private static async Task<(List<ProbeRecord> Records, List<IncidentRecord> Incidents)> ReadAsync(PortalApp app, Guid target)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return (await db.ProbeRecords.AsNoTracking().Where(p => p.TargetId == target).ToListAsync(),
            await db.Incidents.AsNoTracking().Include(i => i.Events).Where(i => i.TargetId == target).ToListAsync());
    }

    [Fact]
    public async Task APortalRestartedMidOutage_RepeatsTheTickOfTheSameWindow_WithoutCountingItTwice()
    {
        // Ticks are driven by hand at chosen times a little ahead, one minute apart; the recurring job's own ticks at
        // the real time fall in earlier windows, which the tracker ignores once these are counted.
        var first = new PortalApp().With("Health:ProbeInterval", "60");
        await ((IAsyncLifetime)first).InitializeAsync();
        var upstream = await HealthTestKit.StartUpstreamAsync();
        var port = upstream.BaseUri.Port;
        first.AllowOutbound(upstream.BaseUri);
        using var client = await HealthTestKit.DeveloperAsync(first);
        var (_, target) = await HealthTestKit.ServerlessEndpointAsync(client, "restart-chat", upstream.BaseUri);
        var interval = TimeSpan.FromMinutes(1);
        var t0 = ProbeWindow.Start(ProbeWindow.Id(DateTimeOffset.UtcNow, interval) + 10, interval).AddSeconds(5);
        await upstream.DisposeAsync();

        await TickAsync(first, t0);
        await TickAsync(first, t0 + interval);
        var before = await ReadAsync(first, target);
        Assert.Equal(IncidentTracker.FailuresToOpen, before.Records.Count(r => r.Kind == ProbeKind.Availability));
        Assert.Single(before.Incidents, i => i.EndedAt is null);

        first.KeepOnDispose = true;
        await first.DisposeAsync();
        await using var second = PortalApp.OnExistingData(first.DataDirectory).With("Health:ProbeInterval", "60").AllowOutbound(upstream.BaseUri);
        await ((IAsyncLifetime)second).InitializeAsync();
        await TickAsync(second, t0 + interval + TimeSpan.FromSeconds(20));

        var after = await ReadAsync(second, target);
        Assert.Equal(before.Records.Count, after.Records.Count);
        Assert.Single(after.Incidents);

        await using var back = await HealthTestKit.StartUpstreamAsync(port);
        await TickAsync(second, t0 + 2 * interval);
        var closed = await ReadAsync(second, target);
        var incident = Assert.Single(closed.Incidents);
        Assert.Equal(t0, incident.StartedAt);
        Assert.Equal(t0 + 2 * interval, incident.EndedAt);
        Assert.Equal(["probe.failed", "incident.opened", "incident.resolved"], incident.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Kind));
        var results = closed.Records.Where(r => r.Kind == ProbeKind.Availability && r.At >= t0)
            .Select(r => new ProbeResult(r.TargetId, r.At, r.Ok));
        var month = SlaMonth.Containing(t0);
        Assert.Equal(2m, SlaCalculator.Monthly(month, results, [], new SlaOptions { ProbeInterval = interval }, t0 + 3 * interval).DownMinutes);
        await ((IAsyncLifetime)second).DisposeAsync();
    }

    [Fact]
    public async Task TwoPortalInstancesOnOneDatabase_RunEachProbeTickOnce()
    {
        var first = new PortalApp().With("Health:ProbeInterval", "1");
        await ((IAsyncLifetime)first).InitializeAsync();
        var second = PortalApp.OnExistingData(first.DataDirectory).With("Health:ProbeInterval", "1");
        second.KeepOnDispose = true;
        await ((IAsyncLifetime)second).InitializeAsync();
        await using var upstream = await HealthTestKit.StartUpstreamAsync();
        first.AllowOutbound(upstream.BaseUri);
        second.AllowOutbound(upstream.BaseUri);
        using var client = await HealthTestKit.DeveloperAsync(first);
        var (_, target) = await HealthTestKit.ServerlessEndpointAsync(client, "twin-chat", upstream.BaseUri);

        var windows = await HealthTestKit.WaitForAsync(async () =>
        {
            var (records, _) = await ReadAsync(first, target);
            var availability = records.Where(r => r.Kind == ProbeKind.Availability).ToList();
            return availability.Count >= 4 ? availability : null;
        }, 30, "four probe windows");

        Assert.Equal(windows.Count, windows.Select(r => r.WindowId).Distinct().Count());
        Assert.All(windows, r => Assert.True(r.Ok, r.Detail));
        // Had both instances probed the same window, one of them would have hit the unique key and failed its job.
        Assert.Equal(0, first.Services.GetRequiredService<JobStorage>().GetMonitoringApi().FailedCount());
        await second.DisposeAsync();
        await ((IAsyncLifetime)first).DisposeAsync();
    }
}
