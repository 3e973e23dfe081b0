using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

public sealed class MembersAndAccessTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    /// <summary>Invites a fresh person to the demo tenant through the API, as its admin would, and has them accept.</summary>
    private async Task<(string Email, Guid MemberId)> AddMemberAsync(HttpClient admin, string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():n}@demo.local";
        var (person, memberId) = await app.InviteAndJoinAsync(admin, await TenantIdAsync("demo"), email, role, name: "Test " + role);
        person.Dispose();
        return (email, memberId);
    }

    [Fact]
    public async Task SignIn_AfterRepeatedFailures_IsLockedOut_EvenWithTheRightPassword()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var (email, _) = await AddMemberAsync(admin, "Developer");
        using var attacker = app.NewClient();

        for (var i = 0; i < 5; i++)
        {
            var failed = await attacker.SubmitLoginAsync(email, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var locked = await attacker.SubmitLoginAsync(email, PortalApp.Password);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Sign-in failed", await locked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task SignIn_Failure_SaysTheSameForAnUnknownAccountAndAWrongPassword()
    {
        using var client = app.NewClient();
        var unknown = await (await client.SubmitLoginAsync("nobody@nowhere.example", "whatever-password")).Content.ReadAsStringAsync();
        var wrong = await (await client.SubmitLoginAsync("auditor@demo.local", "whatever-password")).Content.ReadAsStringAsync();

        Assert.Equal(ErrorText(unknown), ErrorText(wrong));
        Assert.Contains("Sign-in failed", ErrorText(unknown));
    }

    [Fact]
    public async Task DisabledMember_CookieAndTokenStopWorking()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var (email, memberId) = await AddMemberAsync(admin, "Developer");
        using var victim = app.NewClient();
        await victim.SignInAsync(email);
        var token = await UserTokenAsync(victim);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetAsync("api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await victim.GetWithTokenAsync("api/v1/me", token)).StatusCode);

        var demo = await TenantIdAsync("demo");
        var disable = await admin.PatchAsJsonAsync($"api/v1/tenants/{demo}/members/{memberId}", new { disabled = true });
        Assert.Equal(HttpStatusCode.OK, disable.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.GetAsync("api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await victim.GetWithTokenAsync("api/v1/me", token)).StatusCode);
        Assert.Contains("Sign-in failed", await (await app.NewClient().SubmitLoginAsync(email, PortalApp.Password)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MemberOfTenantA_Gets404_ForTenantBsMembers()
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var acme = await TenantIdAsync("acme");

        var response = await developer.GetAsync($"api/v1/tenants/{acme}/members");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("@", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Auditor_CannotChangeMembers_TheServerRefuses()
    {
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var demo = await TenantIdAsync("demo");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"api/v1/tenants/{demo}/members")).StatusCode);

        var add = await auditor.PostAsJsonAsync($"api/v1/tenants/{demo}/invitations", new { email = "sneaky@demo.local", role = "TenantAdmin" });
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        Assert.Equal("application/problem+json", add.Content.Headers.ContentType?.MediaType);

        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Invitations.AnyAsync(i => i.Email == "sneaky@demo.local"));
        Assert.Empty(app.Mail.MessagesTo("sneaky@demo.local"));
    }

    [Fact]
    public async Task Invite_WithBadInput_AnswersProblemDetailsNamingTheFields()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var demo = await TenantIdAsync("demo");

        var response = await admin.PostAsJsonAsync($"api/v1/tenants/{demo}/invitations", new { email = "not-an-email", role = "Developer" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Email", out _));
    }

    [Fact]
    public async Task ChangeRole_TakesEffectOnTheNextRequest()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var (email, memberId) = await AddMemberAsync(admin, "Developer");
        using var person = app.NewClient();
        await person.SignInAsync(email);
        var demo = await TenantIdAsync("demo");

        await admin.PatchAsJsonAsync($"api/v1/tenants/{demo}/members/{memberId}", new { role = "Auditor" });

        var me = await person.GetFromJsonAsync<JsonElement>("api/v1/me");
        Assert.Equal("Auditor", me.GetProperty("tenants")[0].GetProperty("role").GetString());
    }

    private async Task<string> UserTokenAsync(HttpClient browser)
    {
        await new OidcTests(app).InitializeAsync();
        var (verifier, challenge) = OidcTests.NewPkce();
        var code = await OidcTests.AuthorizeAsync(browser, challenge, "S256", "http://127.0.0.1:53999/callback");
        var response = await OidcTests.ExchangeAsync(browser, code, verifier);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static string ErrorText(string html)
    {
        var start = html.IndexOf("data-testid=\"login-error\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "The sign-in page shows no error.");
        var open = html.IndexOf('>', start) + 1;
        return html[open..html.IndexOf('<', open)];
    }
}
