using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

/// <summary>A tenant that requires two-factor sign-in: its admins set it; it holds back members without it, nowhere else.</summary>
public sealed class TwoFactorPolicyTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task ATenantThatRequiresTwoFactor_RefusesAMemberWithoutIt_UntilTheyEnrol_AndTheirOtherTenantIsUnaffected()
    {
        var (demo, acme) = (await TenantIdAsync("demo"), await TenantIdAsync("acme"));
        var person = await NewPersonAsync(("demo", "Developer"), ("acme", "Developer"));
        using var acmeAdmin = await EnrolledAdminAsync("acme");
        var policy = await acmeAdmin.PutAsJsonAsync($"api/v1/tenants/{acme}/sign-in-policy", new { requireTwoFactor = true });
        try
        {
            await HeldBackUntilEnrolledAsync(policy, person, demo, acme);
        }
        finally
        {
            await acmeAdmin.PutAsJsonAsync($"api/v1/tenants/{acme}/sign-in-policy", new { requireTwoFactor = false });
        }
    }

    private async Task HeldBackUntilEnrolledAsync(HttpResponseMessage policy, string person, Guid demo, Guid acme)
    {
        Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
        var view = await policy.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(view.GetProperty("requireTwoFactor").GetBoolean());
        Assert.Contains(person, view.GetProperty("membersWithoutTwoFactor").EnumerateArray().Select(m => m.GetProperty("email").GetString()));

        using var browser = app.NewClient();
        await browser.SignInAsync(person);

        var refused = await browser.GetAsync($"api/v1/deployments?tenantId={acme}");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Two-factor sign-in required", problem.GetProperty("title").GetString());
        Assert.StartsWith("Acme Research requires two-factor sign-in.", problem.GetProperty("detail").GetString());
        Assert.Equal("/account/security", problem.GetProperty("setUpAt").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"api/v1/tenants/{acme}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"api/v1/tenants/{demo}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"api/v1/deployments?tenantId={demo}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetPageAsync(browser, "")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync($"account/tenant/{acme}?returnUrl=/endpoints")).StatusCode);
        var page = await GetPageAsync(browser, "endpoints");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/account/security?ReturnUrl=%2Fendpoints", page.Headers.Location!.PathAndQuery);
        var security = await browser.GetStringAsync("account/security");
        Assert.Contains("requires two-factor sign-in. Set it up below", security);

        await browser.EnrolTwoFactorAsync();

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"api/v1/tenants/{acme}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetPageAsync(browser, "endpoints")).StatusCode);
        var records = await AcmeRecordsAsync(acme);
        Assert.Contains(records, r => r.Action == "tenant.sign_in_policy_changed" && r.Details!.Contains("\"requireTwoFactor\":true"));
        Assert.Contains(records, r => r.Action == "access.denied" && r.ActorName == "Policy Person" && r.Reason!.Contains("two-factor"));
    }

    [Fact]
    public async Task AnAdminWithoutTwoFactor_CannotRequireIt_AndOtherRolesCannotSetIt()
    {
        var demo = await TenantIdAsync("demo");
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");

        var selfLockout = await admin.PutAsJsonAsync($"api/v1/tenants/{demo}/sign-in-policy", new { requireTwoFactor = true });
        Assert.Equal(HttpStatusCode.Conflict, selfLockout.StatusCode);
        Assert.Contains("for yourself first", (await selfLockout.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        var missing = await admin.PutAsJsonAsync($"api/v1/tenants/{demo}/sign-in-policy", new { });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("RequireTwoFactor", out _));

        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var refused = await developer.PutAsJsonAsync($"api/v1/tenants/{demo}/sign-in-policy", new { requireTwoFactor = false });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync($"api/v1/tenants/{demo}/sign-in-policy")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await developer.GetAsync($"api/v1/tenants/{await TenantIdAsync("acme")}/sign-in-policy")).StatusCode);
    }

    [Fact]
    public async Task AnAutomationClient_IsNotAskedForTwoFactor()
    {
        var demo = await TenantIdAsync("demo");
        using var admin = await EnrolledAdminAsync("demo");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/v1/tenants/{demo}/sign-in-policy", new { requireTwoFactor = true })).StatusCode);
        try
        {
            using var robot = app.NewClient();
            var token = await robot.ClientCredentialsTokenAsync(PortalApp.ClientId, PortalApp.ClientSecret);

            Assert.Equal(HttpStatusCode.OK, (await robot.GetWithTokenAsync($"api/v1/deployments?tenantId={demo}", token)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await robot.GetWithTokenAsync("api/v1/deployments", token)).StatusCode);
            // A person of the same tenant without two-factor, with no tenant named: held back from the only tenant they have.
            using var developer = app.NewClient();
            await developer.SignInAsync("dev@demo.local");
            Assert.Equal(HttpStatusCode.Forbidden, (await developer.GetAsync("api/v1/deployments")).StatusCode);
        }
        finally
        {
            await admin.PutAsJsonAsync($"api/v1/tenants/{demo}/sign-in-policy", new { requireTwoFactor = false });
        }
    }

    [Fact]
    public async Task ASupportPersonLookingIn_IsAskedForTwoFactorLikeAMember()
    {
        var acme = await TenantIdAsync("acme");
        using var acmeAdmin = await EnrolledAdminAsync("acme");
        Assert.Equal(HttpStatusCode.OK, (await acmeAdmin.PutAsJsonAsync($"api/v1/tenants/{acme}/sign-in-policy", new { requireTwoFactor = true })).StatusCode);
        try
        {
            using var support = app.NewClient();
            await support.SignInAsync("support@portal.local");

            var lookIn = await support.PostAsJsonAsync("api/v1/support/look-ins", new { tenantId = acme, reason = "Ticket 5150: endpoint slow" });
            Assert.Equal(HttpStatusCode.Created, lookIn.StatusCode);

            var refused = await support.GetAsync($"api/v1/deployments?tenantId={acme}");
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("Two-factor sign-in required", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
            Assert.Equal(HttpStatusCode.OK, (await support.GetAsync("api/v1/support/tenants")).StatusCode);
        }
        finally
        {
            await acmeAdmin.PutAsJsonAsync($"api/v1/tenants/{acme}/sign-in-policy", new { requireTwoFactor = false });
        }
    }

    /// <summary>A new TenantAdmin of the tenant, signed in with two-factor sign-in set up.</summary>
    private async Task<HttpClient> EnrolledAdminAsync(string slug)
    {
        var email = await NewPersonAsync((slug, "TenantAdmin"));
        var client = app.NewClient();
        await client.SignInAsync(email);
        await client.EnrolTwoFactorAsync();
        return client;
    }

    /// <summary>A fresh person, invited by the seeded admin (who administers both tenants) with these roles: the first
    /// invitation is accepted by creating the account, the others signed in.</summary>
    private async Task<string> NewPersonAsync(params (string Slug, string Role)[] memberships)
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var email = $"policy-{Guid.NewGuid():n}@demo.local";
        var (person, _) = await app.InviteAndJoinAsync(admin, await TenantIdAsync(memberships[0].Slug), email, memberships[0].Role, name: "Policy Person");
        using (person)
        {
            foreach (var (slug, role) in memberships.Skip(1))
            {
                await app.InviteAndAcceptAsync(admin, person, await TenantIdAsync(slug), email, role);
            }
        }

        return email;
    }

    private static Task<HttpResponseMessage> GetPageAsync(HttpClient browser, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return browser.SendAsync(request);
    }

    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    private async Task<List<Portal.Core.Audit.AuditRecord>> AcmeRecordsAsync(Guid acme)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.AsNoTracking().Where(r => r.TenantId == acme).ToListAsync();
    }
}
