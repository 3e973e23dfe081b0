using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Core.DryRun;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Migration.DryRun;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// A person's whole dry run, as the page offers it: the window and compression typed into the form, the run started,
/// its progress followed until it succeeds, then its report opened. The replay is real: simulator processes started by
/// the local runtime, the recorded requests sent through the gateway.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DryRunFlowTests(BrowserFixture fixture)
{
    private const int Recorded = 30;

    [Fact]
    public async Task DryRun_StartedFromTheForm_RunsToItsReport_WithThePageAfterwards()
    {
        var endpointId = await RecordedEndpointAsync();
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var runs = new DryRunsPage(page);
        await runs.OpenAsync(endpointId);

        // The last hour at ×144, the highest compression replays of known traffic were measured at: 25 s of replay, which the
        // form says before anything starts.
        await page.GetByLabel("Last hours of traffic").FillAsync("1");
        // Above the measured compressions the form warns before anything starts.
        await page.GetByLabel("Compression").FillAsync("360");
        await page.GetByLabel("Compression").PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("dry-run-accuracy")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-warning-text"));
        await Assertions.Expect(page.GetByTestId("dry-run-accuracy")).ToContainTextAsync("a cold start that was not there");
        await page.GetByLabel("Compression").FillAsync("144");
        await page.GetByLabel("Compression").PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("dry-run-accuracy")).ToContainTextAsync("25 s");
        await Assertions.Expect(page.GetByTestId("dry-run-accuracy")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("mud-warning-text"));
        await page.GetByTestId("start-dry-run").ClickAsync();

        var run = page.GetByTestId("dry-runs-table").Locator("tbody tr").First;
        await Assertions.Expect(run).ToContainTextAsync("1× h100-80gb, 1 replica");
        await Assertions.Expect(run).ToContainTextAsync("Succeeded", new() { Timeout = 180_000 });
        await run.ClickAsync();

        await Assertions.Expect(page.GetByTestId("dry-run-notice")).ToContainTextAsync("This is a simulation");
        await Assertions.Expect(page.GetByTestId("dry-run-comparison")).ToContainTextAsync($"Recorded ({Recorded} requests)");
        await Assertions.Expect(page.GetByTestId("dry-run-comparison")).ToContainTextAsync($"{Recorded}/{Recorded} arrived");
        await Assertions.Expect(runs.Afterwards).ToContainTextAsync("1× h100-80gb, 1 replica, the migration page afterwards: Move back to serverless");
        await Assertions.Expect(page.GetByTestId("dry-run-recommendation")).ToContainTextAsync("Recommendation:");

        // The window's last 39 minutes had no request, and the baseline replica is paid for them all the same: one GPU-hour
        // for the hour, and the replicas' chart runs to the window's end.
        var report = await StoredReportAsync(endpointId);
        Assert.Equal(1.0, (double)report.Candidates[0].GpuHours, 3);
        Assert.Equal(TimeSpan.FromHours(1), report.Candidates[0].ReplicasOverTime[^1].At);
        await Assertions.Expect(runs.ReplicasChart).ToContainTextAsync("1:00:00");
        await BrowserFixture.ScreenshotAsync(page, "dry-run", fullPage: true);
        await page.Context.CloseAsync();
    }

    private async Task<DryRunReport> StoredReportAsync(Guid endpointId)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var json = await db.DryRuns.Where(r => r.EndpointId == endpointId).Select(r => r.ReportJson).SingleAsync();
        return JsonSerializer.Deserialize<DryRunReport>(json!, DryRunJson.Options)!;
    }

    /// <summary>A serverless endpoint of the demo tenant whose last hour recorded 30 requests, stored as the gateway stores them.</summary>
    private async Task<Guid> RecordedEndpointAsync()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var endpoint = await DemoEndpoints.AddServerlessAsync(db, "chat-dry-run-flow");
        var (tenant, now) = (endpoint.TenantId, endpoint.CreatedAt);
        var keyId = Guid.NewGuid();
        db.RequestSamples.AddRange(Enumerable.Range(0, Recorded).Select(i => new RequestSampleRow
        {
            Timestamp = now.AddMinutes(-40).AddSeconds(2 * i), TenantId = tenant, KeyId = keyId, Operation = GatewayOperation.Chat,
            Model = endpoint.Name, EndpointId = endpoint.Id, TargetId = endpoint.PrimaryTargetId, Tier = TargetKind.Serverless, Region = "us-east", StatusCode = 200,
            Streamed = true, TtftMs = 180, EndToEndMs = 400, PromptTokens = 100 + i, CompletionTokens = 16, Attempts = 1,
        }));
        await db.SaveChangesAsync();
        return endpoint.Id;
    }
}
