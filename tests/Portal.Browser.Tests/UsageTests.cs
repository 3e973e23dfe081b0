using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;
using Portal.Usage;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class UsageTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheUsagePage_ShowsTheMonthsFiguresPerEndpoint_AndATenantAdminSetsABudgetAgainstThem()
    {
        var name = $"usage-{Guid.NewGuid():n}"[..14];
        await AddServerlessUsageAsync(name, requests: 4);

        var page = await fixture.NewPageAsync(375, 800);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var usage = new UsagePage(page);
        await usage.OpenAsync();

        // 4 requests × (1 M prompt tokens × $1 + 0.5 M completion tokens × $2 per million) = $8.
        await Assertions.Expect(usage.Row(name)).ToContainTextAsync("8.00 USD");
        await Assertions.Expect(usage.Row(name)).ToContainTextAsync("4,000,000 / 2,000,000");
        await Assertions.Expect(usage.TotalUsd).ToContainTextAsync("USD");
        await Assertions.Expect(usage.Chart.Locator("svg")).ToHaveCountAsync(1);

        await usage.SetBudgetAsync(name, 10m);
        await Assertions.Expect(usage.Budgets).ToContainTextAsync($"{name}: 8.00 USD of 10.00 USD (80 %)");
        await BrowserFixture.ScreenshotAsync(page, "usage");
        await page.Context.CloseAsync();
    }

    /// <summary>A serverless endpoint with <paramref name="requests"/> measured requests today, written into the daily usage by the job.</summary>
    private async Task AddServerlessUsageAsync(string name, int requests)
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenant = await db.Tenants.SingleAsync(t => t.Name == "Demo Inc.");
        var now = DateTimeOffset.UtcNow;
        var target = new Target
        {
            TenantId = tenant.Id, Name = name, Kind = TargetKind.Serverless, BaseUrl = "https://api.example.com/v1/", UpstreamModel = "vendor-model",
            Region = "us-east", InputPricePerMillion = 1m, OutputPricePerMillion = 2m, CreatedAt = now,
        };
        var endpoint = new InferenceEndpoint { TenantId = tenant.Id, Name = name, PrimaryTargetId = target.Id, CreatedAt = now };
        db.Targets.Add(target);
        db.Endpoints.Add(endpoint);
        for (var i = 0; i < requests; i++)
        {
            db.RequestSamples.Add(new RequestSampleRow
            {
                Timestamp = now.AddSeconds(-i), TenantId = tenant.Id, KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat, Model = name,
                EndpointId = endpoint.Id, TargetId = target.Id, Tier = TargetKind.Serverless, StatusCode = 200, Streamed = true, EndToEndMs = 100,
                PromptTokens = 1_000_000, CompletionTokens = 500_000, Attempts = 1,
            });
        }

        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<UsageDayJob>().WriteDayAsync(DateOnly.FromDateTime(now.UtcDateTime), CancellationToken.None);
    }
}
