using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Identity;
using Portal.Inference;
using Portal.Tenancy;
using Portal.Tests.Support;

namespace Portal.Tests.Hardening;

/// <summary>
/// An open page holds the caller it resolved when it opened and hands it to the services on every click. The services
/// decide by the memberships and roles the database has now: a demoted or removed person's next click is refused and
/// recorded, whatever the page still believes.
/// </summary>
public sealed class OpenPageCallerTests(OpenPageCallerTests.Portal portal) : IClassFixture<OpenPageCallerTests.Portal>
{
    public sealed class Portal : IAsyncLifetime
    {
        public PortalApp App { get; } = new();

        public Task InitializeAsync() => App.InitializeAsync();

        public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
    }

    private PortalApp App => portal.App;

    [Fact]
    public async Task ADeveloperDemotedWhileTheirPageIsOpen_CannotCreateAKey_AndTheRefusalIsRecorded()
    {
        var (tenant, memberId, pageCaller, admin) = await NewDeveloperWithOpenPageAsync();
        using var _ = admin;

        var demoted = await admin.PatchAsJsonAsync($"api/v1/tenants/{tenant}/members/{memberId}", new { role = "Auditor" });
        Assert.Equal(HttpStatusCode.OK, demoted.StatusCode);
        var click = await CreateKeyAsync(pageCaller, tenant, "after-demotion");

        Assert.Equal(ServiceStatus.Forbidden, click.Status);
        Assert.Contains("you are Auditor", click.Message);
        Assert.False(await KeyExistsAsync(tenant, "after-demotion"));
        var refusal = await LatestRecordAsync(admin, tenant, pageCaller.Subject);
        Assert.Equal(("Denied", "Auditor"), (refusal.GetProperty("outcome").GetString(), refusal.GetProperty("actorRoles").GetString()));
    }

    [Fact]
    public async Task ADeveloperRemovedWhileTheirPageIsOpen_FindsNothingToChange_AndTheAttemptIsRecorded()
    {
        var (tenant, memberId, pageCaller, admin) = await NewDeveloperWithOpenPageAsync();
        using var _ = admin;
        Assert.True((await CreateKeyAsync(pageCaller, tenant, "before-removal")).Succeeded);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/tenants/{tenant}/members/{memberId}")).StatusCode);
        var click = await CreateKeyAsync(pageCaller, tenant, "after-removal");

        Assert.Equal(ServiceStatus.NotFound, click.Status);
        Assert.False(await KeyExistsAsync(tenant, "after-removal"));
        Assert.Equal("Denied", (await LatestRecordAsync(admin, tenant, pageCaller.Subject)).GetProperty("outcome").GetString());
    }

    private async Task<(Guid Tenant, Guid MemberId, Caller PageCaller, HttpClient Admin)> NewDeveloperWithOpenPageAsync()
    {
        var admin = App.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var tenant = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        var email = $"page-{Guid.NewGuid():n}@demo.local";
        var (person, memberId) = await App.InviteAndJoinAsync(admin, tenant, email, "Developer");
        person.Dispose();

        // What the page resolved when it opened.
        await using var scope = App.Services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var pageCaller = await scope.ServiceProvider.GetRequiredService<CallerResolver>()
            .CurrentAsync(new Caller(userId.ToString(), email, IsClient: false, IsSupport: false, []));
        Assert.Equal("Developer", pageCaller!.In(tenant)!.Role.ToString());
        return (tenant, memberId, pageCaller, admin);
    }

    private async Task<ServiceResult<CreatedApiKey>> CreateKeyAsync(Caller caller, Guid tenant, string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().CreateAsync(caller, tenant, new CreateApiKeyRequest(name, null, null, null, null));
    }

    private async Task<bool> KeyExistsAsync(Guid tenant, string name)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ApiKeys.AnyAsync(k => k.TenantId == tenant && k.Name == name);
    }

    private static async Task<JsonElement> LatestRecordAsync(HttpClient admin, Guid tenant, string actor)
    {
        var page = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={tenant}&actor={actor}&pageSize=1");
        return page.GetProperty("records")[0];
    }
}
