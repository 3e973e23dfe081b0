using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ProbeSettingsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AnAdmin_OptsAServerlessEndpointInToTtftProbes_SeeingTheirMonthlyCost_AndSetsItsIdleGap()
    {
        Guid targetId;
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var tenant = await db.Tenants.Where(t => t.Name == "Demo Inc.").Select(t => t.Id).SingleAsync();
            var target = new Target
            {
                TenantId = tenant, Name = "chat-probed (serverless)", Kind = TargetKind.Serverless, BaseUrl = "http://127.0.0.1:9/v1/",
                UpstreamModel = "vendor-model", Region = "us-east", InputPricePerMillion = 0.2m, OutputPricePerMillion = 0.6m, CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Targets.Add(target);
            db.Endpoints.Add(new InferenceEndpoint { TenantId = tenant, Name = "chat-probed", PrimaryTargetId = target.Id, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            targetId = target.Id;
        }

        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var probes = new EndpointProbesPanel(page);
        await probes.OpenAsync("chat-probed");

        await Assertions.Expect(probes.Panel).ToContainTextAsync("Synthetic TTFT probes are off");
        // Every 60 s: 43,200 probes × 17 tokens a month at $0.20 / $0.60 per million ≈ $0.16.
        await Assertions.Expect(probes.Cost).ToContainTextAsync("43,200 probes × 17 tokens");
        await Assertions.Expect(probes.Cost).ToContainTextAsync("$0.16");
        await Assertions.Expect(probes.IdleGap).ToContainTextAsync("5 min (default)");

        await probes.SaveAsync(turnTtftProbesOn: true, idleGapSeconds: 45);

        await Assertions.Expect(probes.Panel).ToContainTextAsync("Synthetic TTFT probes are on.");
        await Assertions.Expect(probes.IdleGap).ToContainTextAsync("45 s (configured)");
        await BrowserFixture.ScreenshotAsync(page, "endpoint-probes");
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var saved = await db.Targets.AsNoTracking().SingleAsync(t => t.Id == targetId);
            Assert.True(saved.TtftProbeOptIn);
            Assert.Equal(45, saved.IdleGapSeconds);
            Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "target.probes_set" && r.ResourceId == targetId.ToString()));
        }

        await page.Context.CloseAsync();

        // A developer reads the settings but has no switch to change them.
        var developer = await fixture.NewPageAsync();
        var devLogin = new LoginPage(developer);
        await devLogin.OpenAsync();
        await devLogin.SignInAsync("dev@demo.local", PortalApp.Password);
        var readOnly = new EndpointProbesPanel(developer);
        await readOnly.OpenAsync("chat-probed");
        await Assertions.Expect(readOnly.Panel).ToContainTextAsync("Synthetic TTFT probes are on.");
        await Assertions.Expect(developer.GetByTestId("save-probes")).ToHaveCountAsync(0);
        await developer.Context.CloseAsync();
    }
}
