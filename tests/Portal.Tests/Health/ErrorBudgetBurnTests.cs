using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Health;
using Portal.Tests.Support;

namespace Portal.Tests.Health;

/// <summary>
/// The monthly uptime SLA's error budget: an upstream that stops spends a tight budget (99.999 %: under half a minute a
/// month) within two probe ticks; the episode is stored once and told once by email, however often the job runs, and
/// closes when a new month's budget lasts again.
/// </summary>
public sealed class ErrorBudgetBurnTests : IAsyncLifetime
{
    private const string Inbox = "sla@example.com";
    private readonly PortalApp _app = new PortalApp().With("Health:ProbeInterval", "60").With("Health:TargetUptimePercent", "99.999");

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        // The test drives the probe job by hand on its own clock, minutes ahead; the minutely run on the real clock would
        // find no downtime yet and close the episode the test opened.
        _app.Services.GetRequiredService<Hangfire.IRecurringJobManager>().RemoveIfExists(HealthProbeJob.AvailabilityJobId);
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task AStoppedUpstream_StartsOneBurnEpisode_ToldOnceByEmail_AndANewMonthClosesIt()
    {
        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenant = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetString()!;
        var settings = await admin.PutAsJsonAsync($"api/v1/notifications/settings?tenantId={tenant}",
            new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        var channel = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={tenant}",
            new { name = "SLA watch", type = "email", emailTo = new[] { Inbox }, kinds = new[] { "budget.burn" } });
        Assert.Equal(HttpStatusCode.Created, channel.StatusCode);

        var upstream = await HealthTestKit.StartUpstreamAsync();
        _app.AllowOutbound(upstream.BaseUri);
        using var dev = await HealthTestKit.DeveloperAsync(_app);
        var (endpointId, _) = await HealthTestKit.ServerlessEndpointAsync(dev, "burning-chat", upstream.BaseUri);
        var endpoint = Guid.Parse(endpointId);
        await upstream.DisposeAsync();

        var interval = TimeSpan.FromMinutes(1);
        var t0 = ProbeWindow.Start(ProbeWindow.Id(DateTimeOffset.UtcNow, interval) + 10, interval).AddSeconds(5);
        await TickAsync(t0);
        await TickAsync(t0 + interval);
        await TickAsync(t0 + 2 * interval); // still down, still burning: nothing new

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var burn = Assert.Single(await db.ErrorBudgetBurns.AsNoTracking().Where(b => b.EndpointId == endpoint).ToListAsync());
        Assert.Null(burn.EndedAt);
        Assert.Equal(SlaMonth.Containing(t0).ToString(), burn.Month);
        Assert.True(burn.UsedMinutes > burn.AllowedMinutes);

        // Only this endpoint's mail counts: other endpoints of the tenant may burn too.
        var mail = await HealthTestKit.WaitForAsync(() => Task.FromResult(Ours().FirstOrDefault()), 30, "the burn email");
        Assert.Equal("[Portal] burning-chat: uptime error budget burning", mail.Subject);
        Assert.Contains("The uptime SLA is breached", mail.TextBody);
        Assert.Contains($"/health/{endpointId}", mail.TextBody);

        // The job once more (a retry, a second instance): the open episode is already there, nothing is told.
        var burns = scope.ServiceProvider.GetRequiredService<ErrorBudgetBurns>();
        Assert.DoesNotContain(await burns.EvaluateAsync(t0 + 2 * interval, CancellationToken.None), b => b.EndpointId == endpoint);
        await Task.Delay(1000); // a second delivery would have been enqueued by now
        Assert.Single(Ours());
        var told = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/notifications/deliveries?tenantId={tenant}&limit=500")).EnumerateArray()
            .Where(d => d.GetProperty("key").GetString() == $"budget.burn:sla:{burn.Id:n}").ToList();
        Assert.Equal("budget.burn", Assert.Single(told).GetProperty("kind").GetString());

        // A new month starts with its whole budget: the episode ends, silently.
        var nextMonth = SlaMonth.Containing(t0).End.AddDays(1);
        Assert.Empty(await burns.EvaluateAsync(nextMonth, CancellationToken.None));
        Assert.Equal(nextMonth, (await db.ErrorBudgetBurns.AsNoTracking().SingleAsync(b => b.Id == burn.Id)).EndedAt);
        Assert.Single(Ours());
    }

    private List<MimeKit.MimeMessage> Ours() =>
        _app.Mail.MessagesTo(Inbox).Where(m => (m.Subject ?? "").Contains("burning-chat", StringComparison.Ordinal)).ToList();

    private async Task TickAsync(DateTimeOffset at)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(at, CancellationToken.None);
    }
}
