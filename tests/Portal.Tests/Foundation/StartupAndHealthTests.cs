using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

public sealed class StartupAndHealthTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Start_OnEmptyDatabase_AppliesEveryMigrationAndSeedsTheDemoTenant()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.NotEmpty(await db.Database.GetAppliedMigrationsAsync());
        Assert.True(File.Exists(Path.Combine(app.DataDirectory, "portal.db")));
        var demo = await db.Tenants.Include(t => t.Members).SingleAsync(t => t.Slug == "demo");
        Assert.Equal(3, demo.Members.Count);
    }

    [Fact]
    public async Task HealthLive_Answers200()
    {
        using var client = app.NewClient();
        var response = await client.GetAsync("health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthReady_ReportsDatabaseAndJobServerHealthy()
    {
        using var client = app.NewClient();
        JsonElement report = default;
        // The job server's first heartbeat lands a moment after start.
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var response = await client.GetAsync("health/ready");
            report = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(250);
        }

        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task HealthReady_WhenTheDatabaseFileIsUnreadable_IsUnhealthy()
    {
        await using var broken = new PortalApp();
        broken.With("Database:MigrateOnStart", "false")
            .With("ConnectionStrings:Portal", $"Data Source={Path.Combine(broken.DataDirectory, "absent.db")};Mode=ReadOnly");
        await ((IAsyncLifetime)broken).InitializeAsync();
        using var client = broken.NewClient();

        var response = await client.GetAsync("health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        await ((IAsyncLifetime)broken).DisposeAsync();
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheManagementApi()
    {
        using var client = app.NewClient();
        var document = await client.GetFromJsonAsync<JsonElement>("openapi/v1.json");
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/me", out _));
        Assert.True(paths.TryGetProperty("/api/v1/tenants/{tenantId}/members", out _));
    }

    [Fact]
    public async Task Pages_CarryTheSecurityHeaders()
    {
        using var client = app.NewClient();
        var response = await client.GetAsync("account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task BlazorHub_RefusesAConnectionFromAnotherOrigin()
    {
        using var client = app.NewClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "_blazor/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", "http://evil.example");
        using var own = new HttpRequestMessage(HttpMethod.Post, "_blazor/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", app.BaseAddress.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(own)).StatusCode);
    }

    [Fact]
    public async Task JobDashboard_OpensForSupportOnly()
    {
        using var anonymous = app.NewClient();
        using var developer = app.NewClient();
        using var support = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        await support.SignInAsync("support@portal.local");

        var anonymousResponse = await anonymous.GetAsync("hangfire");
        Assert.Equal(HttpStatusCode.Redirect, anonymousResponse.StatusCode);
        Assert.Contains("/account/login", anonymousResponse.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync("hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("hangfire")).StatusCode);
    }

    [Fact]
    public async Task JobDashboard_IsReadOnlyForSupport_AndWritableForOperators()
    {
        using var support = app.NewClient();
        using var @operator = app.NewClient();
        await support.SignInAsync("support@portal.local");
        await @operator.SignInAsync("operator@portal.local");

        var supportPage = await support.GetStringAsync("hangfire/recurring");
        var operatorPage = await @operator.GetStringAsync("hangfire/recurring");

        Assert.Contains("audit", supportPage, StringComparison.OrdinalIgnoreCase); // the recurring jobs are listed
        Assert.DoesNotContain("Trigger now", supportPage);
        Assert.Contains("Trigger now", operatorPage);
    }
}
