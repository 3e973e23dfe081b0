using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Data;
using Portal.Demo;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// A first start on an empty database with the demo on: once the generator's traffic has gone through the gateway,
/// the pages show data from that run. One method per page, so a page added later gets one more method.
/// </summary>
public sealed class FirstRunDemoTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    // Liveness and readiness every 2 s, so the SLA page has counted windows of this run within the test; the synthetic
    // TTFT probe stays at its minute, or it would keep the serverless simulator warm and the demo would show no cold start.
    private readonly PortalApp _app = new PortalApp().WithDemo().With("Health:ProbeInterval", "2").With("Health:TtftProbeInterval", "60");

    [Fact]
    public async Task FirstRun_PagesShowTheDemosTraffic()
    {
        await WaitForDemoDataAsync(TimeSpan.FromSeconds(50));
        var page = await chromium.NewPageAsync(_app.BaseAddress);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);

        await OverviewShowsTheGeneratorsCountsAsync(page);
        await EndpointsListTheDedicatedDeploymentAsync(page);
        await AuditLogShowsTheDemoRunnersActionsAsync(page);
        await TtftPageShowsTheServerlessColdStartsAsync(page);
        await MigrationPageRecommendsDedicatedForTheServerlessModelAsync(page);
        await SlaPageCountsProbesOfBothEndpointsAsync(page);
        await page.Context.CloseAsync();
    }

    private static async Task OverviewShowsTheGeneratorsCountsAsync(IPage page)
    {
        await page.GotoAsync("");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        var card = page.GetByTestId("demo-card");
        await Assertions.Expect(card.GetByTestId("demo-state")).ToHaveTextAsync("Running");
        await Assertions.Expect(card).ToContainTextAsync("chat-large (serverless)");
        await Assertions.Expect(card).ToContainTextAsync("chat-small (dedicated)");
        var sent = long.Parse((await card.GetByTestId("demo-sent").InnerTextAsync()).Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sent > 0, $"The card shows {sent} requests sent.");
        await BrowserFixture.ScreenshotAsync(page, "overview-demo");
    }

    private static async Task EndpointsListTheDedicatedDeploymentAsync(IPage page)
    {
        await page.GotoAsync("endpoints");
        var row = page.GetByTestId("endpoints-table").Locator("tr", new() { HasText = "chat-small" });
        await Assertions.Expect(row).ToContainTextAsync("Ready");
    }

    private static async Task AuditLogShowsTheDemoRunnersActionsAsync(IPage page)
    {
        await page.GotoAsync("audit");
        var table = page.GetByTestId("audit-table");
        await Assertions.Expect(table).ToContainTextAsync(DemoResources.ActorName);
        await Assertions.Expect(table).ToContainTextAsync("deployment.created");
        await Assertions.Expect(table).ToContainTextAsync("endpoint.created");
    }

    private static async Task TtftPageShowsTheServerlessColdStartsAsync(IPage page)
    {
        await page.GotoAsync("observability?model=chat-large&window=1h");
        await Assertions.Expect(page.GetByTestId("ttft-percentiles")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("ttft-histogram")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("cold-start-table").Locator("tbody tr").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tier-table")).ToContainTextAsync("serverless", new() { IgnoreCase = true });
    }

    private static async Task MigrationPageRecommendsDedicatedForTheServerlessModelAsync(IPage page)
    {
        await page.GotoAsync("migration?model=chat-large");
        await Assertions.Expect(page.GetByTestId("recommendation")).ToContainTextAsync("Move to dedicated");
    }

    private static async Task SlaPageCountsProbesOfBothEndpointsAsync(IPage page)
    {
        var counted = new System.Text.RegularExpressions.Regex(@"\b[1-9]\d* probe windows counted");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await page.GotoAsync("health");
            await new ShellPage(page).WaitUntilInteractiveAsync();
            var table = page.GetByTestId("sla-table");
            await Assertions.Expect(table).ToContainTextAsync("chat-small");
            await Assertions.Expect(table).ToContainTextAsync("chat-large");
            await table.GetByRole(AriaRole.Link, new() { Name = "chat-large" }).ClickAsync();
            var figures = page.GetByTestId("sla-figures");
            await Assertions.Expect(figures).ToBeVisibleAsync();
            if (counted.IsMatch(await figures.InnerTextAsync()))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No probe window counted for chat-large: {await figures.InnerTextAsync()}");
            await Task.Delay(2000);
        }
    }

    /// <summary>Samples written by the gateway for both endpoints, one of them a serverless cold start.</summary>
    private async Task WaitForDemoDataAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var scope = _app.Services.CreateAsyncScope())
            {
                var samples = scope.ServiceProvider.GetRequiredService<PortalDbContext>().RequestSamples.AsNoTracking();
                if (await samples.AnyAsync(s => s.Model == "chat-small" && s.StatusCode == 200)
                    && await samples.AnyAsync(s => s.Model == "chat-large" && s.ColdStart))
                {
                    return;
                }
            }

            var traffic = _app.Services.GetRequiredService<DemoTraffic>();
            Assert.True(DateTime.UtcNow < deadline,
                $"No demo data after {timeout.TotalSeconds} s: {traffic.Status}, sent {traffic.Sent}, errors {traffic.Errors}, last error {traffic.LastError}");
            await Task.Delay(500);
        }
    }

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
    }
}
