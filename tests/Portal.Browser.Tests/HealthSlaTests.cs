using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Health;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class HealthSlaTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ADownEndpoint_ShowsItsIncidentWithTimeline_OnTheSlaPage_AtPhoneWidth()
    {
        var name = $"down-{Guid.NewGuid():n}"[..12];
        var (endpointId, targetId) = await AddUnreachableEndpointAsync(name);
        var now = DateTimeOffset.UtcNow;
        // Two probe ticks of consecutive windows (driven by hand; the recurring tick runs every 30 s here).
        await TickAsync(now);
        await TickAsync(now.AddSeconds(30));

        var page = await fixture.NewPageAsync(375, 800);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var sla = new SlaPage(page);
        await sla.OpenAsync();

        await Assertions.Expect(sla.Alarm).ToContainTextAsync("open incident");
        await Assertions.Expect(sla.Incidents.Filter(new LocatorFilterOptions { HasText = name }).First).ToContainTextAsync("Open");
        await Assertions.Expect(sla.Row(name)).ToContainTextAsync("Down");
        await sla.OpenEndpointAsync(name);
        await Assertions.Expect(sla.Figures).ToContainTextAsync("Error budget left");
        await Assertions.Expect(sla.Figures).ToContainTextAsync("probe windows counted");
        var incident = sla.Incidents.First;
        await Assertions.Expect(incident).ToContainTextAsync($"Endpoints affected: {name}");
        await Assertions.Expect(incident).ToContainTextAsync("Opened after 2 consecutive failed probes");
        await BrowserFixture.ScreenshotAsync(page, "health-sla");
        await page.Context.CloseAsync();

        // Leave the tenant without an open incident for the other browser tests.
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            await db.Endpoints.Where(e => e.Id == endpointId).ExecuteDeleteAsync();
            await db.Targets.Where(t => t.Id == targetId).ExecuteDeleteAsync();
        }

        await TickAsync(now.AddSeconds(60));
    }

    [Fact]
    public async Task ATenantAdmin_SetsTheTtftObjective_OnTheEndpointsSlaPage_AndADeveloperOnlyReadsIt()
    {
        var name = $"slo-{Guid.NewGuid():n}"[..12];
        var (endpointId, targetId) = await AddUnreachableEndpointAsync(name);

        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        await page.GotoAsync($"/health/{endpointId}");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        var sla = new SlaPage(page);
        await Assertions.Expect(sla.Objective).ToContainTextAsync("No objective set");
        await sla.SetObjectiveAsync(800);
        await Assertions.Expect(sla.Objective).ToContainTextAsync("p99 ≤ 800 ms over 30 days");
        await Assertions.Expect(sla.Objective).ToContainTextAsync("no production requests in the window yet");
        await page.Context.CloseAsync();

        var developer = await fixture.NewPageAsync();
        var developerLogin = new LoginPage(developer);
        await developerLogin.OpenAsync();
        await developerLogin.SignInAsync("dev@demo.local", PortalApp.Password);
        var list = new SlaPage(developer);
        await list.OpenAsync();
        await Assertions.Expect(list.Row(name)).ToContainTextAsync("p99 ≤ 800 ms over 30 days: no data");
        await list.OpenEndpointAsync(name);
        await Assertions.Expect(list.Objective).ToContainTextAsync("p99 ≤ 800 ms over 30 days");
        await Assertions.Expect(list.SaveObjective).ToHaveCountAsync(0);
        await developer.Context.CloseAsync();

        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Endpoints.Where(e => e.Id == endpointId).ExecuteDeleteAsync();
        await db.Targets.Where(t => t.Id == targetId).ExecuteDeleteAsync();
    }

    private async Task TickAsync(DateTimeOffset at)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(at, CancellationToken.None);
    }

    /// <summary>A serverless endpoint whose provider address refuses connections: every probe fails.</summary>
    private async Task<(Guid EndpointId, Guid TargetId)> AddUnreachableEndpointAsync(string name)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenant = await db.Tenants.SingleAsync(t => t.Name == "Demo Inc.");
        var target = new Target
        {
            TenantId = tenant.Id, Name = name, Kind = TargetKind.Serverless, BaseUrl = $"http://127.0.0.1:{port}/v1/", UpstreamModel = "vendor-model",
            Region = "us-east", CreatedAt = DateTimeOffset.UtcNow,
        };
        var endpoint = new InferenceEndpoint { TenantId = tenant.Id, Name = name, PrimaryTargetId = target.Id, CreatedAt = DateTimeOffset.UtcNow };
        db.Targets.Add(target);
        db.Endpoints.Add(endpoint);
        await db.SaveChangesAsync();
        return (endpoint.Id, target.Id);
    }
}
