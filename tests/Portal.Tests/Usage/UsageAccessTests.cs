using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Usage;

/// <summary>Who may read usage and set budgets, and what a malformed request is told.</summary>
public sealed class UsageAccessTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task ADeveloper_ReadsUsageAndBudgets_ButCannotSetOrRemoveABudget_AndTheRefusalIsAudited()
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");

        var set = await developer.PutAsJsonAsync("api/v1/budgets", new { monthlyUsd = 100 });
        var remove = await developer.DeleteAsync("api/v1/budgets");

        Assert.Equal(HttpStatusCode.Forbidden, set.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await developer.GetAsync("api/v1/usage")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await developer.GetAsync("api/v1/budgets")).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "budget.set" && r.Outcome == Core.Audit.AuditOutcome.Denied));
    }

    [Fact]
    public async Task AnAuditor_ReadsUsage_AndAnAdmin_SetsChangesAndRemovesAnEndpointBudget()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("api/v1/usage?groupBy=tier")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PutAsJsonAsync("api/v1/budgets", new { monthlyUsd = 5 })).StatusCode);

        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenant = (await auditor.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray().First().GetProperty("id").GetString();
        var endpoint = await admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={tenant}", new
        {
            name = "budgeted-endpoint",
            target = new { baseUrl = "https://api.example.com/v1/", upstreamModel = "some-model", inputPricePerMillion = 1, outputPricePerMillion = 1 },
        });
        var endpointId = (await endpoint.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var set = await admin.PutAsJsonAsync($"api/v1/budgets/endpoints/{endpointId}?tenantId={tenant}", new { monthlyUsd = 250, alertPercentages = new[] { 90, 75 } });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var view = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("budgeted-endpoint", view.GetProperty("scope").GetString());
        Assert.Equal([75, 90], view.GetProperty("alertPercentages").EnumerateArray().Select(p => p.GetInt32()));
        Assert.Equal(0m, view.GetProperty("spendUsd").GetDecimal());

        var changed = await admin.PutAsJsonAsync($"api/v1/budgets/endpoints/{endpointId}?tenantId={tenant}", new { monthlyUsd = 300 });
        Assert.Equal([50, 80, 100], (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("alertPercentages").EnumerateArray().Select(p => p.GetInt32()));
        var listed = await auditor.GetFromJsonAsync<JsonElement>($"api/v1/budgets?tenantId={tenant}");
        Assert.Equal(300m, listed.EnumerateArray().Single(b => b.GetProperty("scope").GetString() == "budgeted-endpoint").GetProperty("monthlyUsd").GetDecimal());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"api/v1/budgets/endpoints/{endpointId}?tenantId={tenant}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"api/v1/budgets/endpoints/{endpointId}?tenantId={tenant}")).StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(2, await db.AuditRecords.CountAsync(r => r.Action == "budget.set" && r.Outcome == Core.Audit.AuditOutcome.Success && r.Details!.Contains("budgeted-endpoint")));
        Assert.True(await db.AuditRecords.AnyAsync(r => r.Action == "budget.deleted"));
    }

    [Fact]
    public async Task AnotherTenantsUsageAndBudgets_Are404()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"api/v1/usage?tenantId={acme}")).StatusCode);
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");

        Assert.Equal(HttpStatusCode.NotFound, (await developer.GetAsync($"api/v1/usage?tenantId={acme}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await developer.GetAsync($"api/v1/usage.csv?tenantId={acme}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await developer.GetAsync($"api/v1/budgets?tenantId={acme}")).StatusCode);
    }

    [Fact]
    public async Task SimultaneousFirstSavesOfTheTenantBudget_LeaveOneBudget_AndTheDatabaseRefusesASecond()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetGuid();

        var saves = await Task.WhenAll(Enumerable.Range(1, 8).Select(async i =>
        {
            using var client = app.NewClient();
            await client.SignInAsync("admin@demo.local");
            using var response = await client.PutAsJsonAsync($"api/v1/budgets?tenantId={acme}", new { monthlyUsd = 100 * i });
            return response.StatusCode;
        }));

        // Each save either made or changed the one budget, or was told the race was lost: never a second row, never a 500.
        Assert.All(saves, status => Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Conflict, status.ToString()));
        Assert.Contains(HttpStatusCode.OK, saves);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.Equal(1, await db.Budgets.CountAsync(b => b.TenantId == acme && b.EndpointId == null));
        Assert.Equal(saves.Count(s => s == HttpStatusCode.OK),
            await db.AuditRecords.CountAsync(r => r.TenantId == acme && r.Action == "budget.set" && r.Outcome == Core.Audit.AuditOutcome.Success));

        // However the race falls, the unique index is what holds: a second tenant-wide row is refused outright.
        db.Budgets.Add(new Budget { TenantId = acme, MonthlyUsd = 1, AlertPercentages = "50", UpdatedBy = "test" });
        var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(DatabaseErrors.IsUniqueViolation(refused), refused.ToString());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"api/v1/budgets?tenantId={acme}")).StatusCode);
    }

    [Theory]
    [InlineData("api/v1/usage?groupBy=region", "groupBy")]
    [InlineData("api/v1/usage?from=2026-12-40", "from")]
    [InlineData("api/v1/usage?month=12-2026", "month")]
    [InlineData("api/v1/usage?from=2026-12-10&to=2026-12-01", "to")]
    [InlineData("api/v1/usage?from=2024-01-01&to=2026-12-01", "from")]
    [InlineData("api/v1/usage.csv?month=2026-12&from=2026-12-01", "month")]
    public async Task MalformedUsageQueries_Are400_NamingTheField(string url, string field)
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");

        var response = await developer.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
    }

    [Theory]
    [InlineData("""{"monthlyUsd":0}""", "monthlyUsd")]
    [InlineData("""{"monthlyUsd":10,"alertPercentages":[]}""", "alertPercentages")]
    [InlineData("""{"monthlyUsd":10,"alertPercentages":[80,80]}""", "alertPercentages")]
    [InlineData("""{}""", "monthlyUsd")]
    public async Task AMalformedBudget_Is400_NamingTheField(string body, string field)
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");

        var response = await admin.PutAsync("api/v1/budgets", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), field);
    }
}
