using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Foundation;
using Portal.Tests.Support;

namespace Portal.Tests.Accounts;

/// <summary>Invitations end to end: the portal sends real mail to a real SMTP server process, the person follows the link.</summary>
public sealed class InvitationTests : IAsyncLifetime
{
    private readonly ShiftableClock _clock = new();
    private readonly PortalApp _app;

    public InvitationTests() => _app = new PortalApp().WithClock(_clock);

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task Invite_NewAddress_MailArrives_AndAcceptingCreatesTheAccountAndTheMembership()
    {
        using var admin = await AdminAsync();
        var demo = await TenantIdAsync("demo");
        var email = $"new-{Guid.NewGuid():n}@example.com";

        var invited = await admin.PostAsJsonAsync($"api/v1/tenants/{demo}/invitations", new { email, role = "Auditor" });

        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        var mail = await _app.Mail.WaitForMessageAsync(email);
        Assert.Contains("Demo Inc.", mail.Subject);
        Assert.Equal("Portal", mail.From.Mailboxes.Single().Name);
        Assert.Contains("as Auditor", mail.TextBody);
        Assert.NotNull(mail.HtmlBody);
        Assert.DoesNotContain("<img", mail.HtmlBody);
        var link = MailSink.LinkTo(mail, "/account/invitation");
        Assert.StartsWith(_app.BaseAddress.ToString(), link);
        Assert.False(await UserExistsAsync(email));
        var pending = await admin.GetFromJsonAsync<JsonElement>($"api/v1/tenants/{demo}/invitations");
        Assert.Contains(pending.EnumerateArray(), i => i.GetProperty("email").GetString() == email && i.GetProperty("role").GetString() == "Auditor");

        using var person = _app.NewClient();
        var accepted = await person.AcceptByCreatingAccountAsync(link, "Nora New", PortalApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var me = await person.GetFromJsonAsync<JsonElement>("api/v1/me");
        var tenant = me.GetProperty("tenants").EnumerateArray().Single();
        Assert.Equal(demo, tenant.GetProperty("id").GetGuid());
        Assert.Equal("Auditor", tenant.GetProperty("role").GetString());
        var stillPending = await admin.GetFromJsonAsync<JsonElement>($"api/v1/tenants/{demo}/invitations");
        Assert.DoesNotContain(stillPending.EnumerateArray(), i => i.GetProperty("email").GetString() == email);
        var actions = await ActionsAsync(admin, demo);
        Assert.Contains("invitation.sent", actions);
        Assert.Contains("invitation.accepted", actions);
    }

    [Fact]
    public async Task Invite_AddressWithAnAccount_AnswersExactlyAsForANewOne_AndAttachesOnlyOnAcceptance()
    {
        using var admin = await AdminAsync();
        var acme = await TenantIdAsync("acme");
        var fresh = $"fresh-{Guid.NewGuid():n}@example.com";

        // dev@demo.local has an account (Developer of Demo Inc.); the admin of Acme must not learn it.
        var existing = await admin.PostAsJsonAsync($"api/v1/tenants/{acme}/invitations", new { email = "dev@demo.local", role = "Developer" });
        var unknown = await admin.PostAsJsonAsync($"api/v1/tenants/{acme}/invitations", new { email = fresh, role = "Developer" });

        Assert.Equal(unknown.StatusCode, existing.StatusCode);
        var existingBody = await existing.Content.ReadAsStringAsync();
        Assert.Equal(Shape(await unknown.Content.ReadAsStringAsync(), fresh), Shape(existingBody, "dev@demo.local"));
        Assert.DoesNotContain("Dev Developer", existingBody);
        var existingMail = await _app.Mail.WaitForMessageAsync("dev@demo.local");
        var freshMail = await _app.Mail.WaitForMessageAsync(fresh);
        Assert.Equal(freshMail.Subject, existingMail.Subject);
        Assert.Equal(WithoutLink(freshMail.TextBody!), WithoutLink(existingMail.TextBody!));
        Assert.False(await IsMemberAsync("dev@demo.local", acme));

        // The owner accepts by signing in with their own password.
        var link = MailSink.LinkTo(existingMail, "/account/invitation");
        using var dev = _app.NewClient();
        await dev.SignInAsync("dev@demo.local");
        Assert.False(await IsMemberAsync("dev@demo.local", acme));
        var accepted = await dev.SubmitFormAsync(link, "accept", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.True(await IsMemberAsync("dev@demo.local", acme));
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync($"api/v1/tenants/{acme}/members")).StatusCode);
    }

    [Fact]
    public async Task Link_WorksOnce()
    {
        using var admin = await AdminAsync();
        var (email, link) = await InviteAsync(admin, await TenantIdAsync("demo"));
        using var first = _app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await first.AcceptByCreatingAccountAsync(link, "First", PortalApp.Password)).StatusCode);

        using var second = _app.NewClient();
        var page = await second.GetStringAsync(link);

        Assert.Contains("data-testid=\"invitation-error\"", page);
        Assert.Contains("used already", page);
        Assert.DoesNotContain("create-account", page);
        Assert.Equal(1, await UserCountAsync(email));
    }

    [Fact]
    public async Task Link_FailsAfterRevocation_AndNoAccountIsCreated()
    {
        using var admin = await AdminAsync();
        var demo = await TenantIdAsync("demo");
        var (email, link) = await InviteAsync(admin, demo);
        using var person = _app.NewClient();
        var form = await person.GetStringAsync(link); // The person opens the page, then the admin revokes.
        var id = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/tenants/{demo}/invitations"))
            .EnumerateArray().Single(i => i.GetProperty("email").GetString() == email).GetProperty("id").GetGuid();

        var revoked = await admin.DeleteAsync($"api/v1/tenants/{demo}/invitations/{id}");

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        var fields = PortalForms.FormFields(form, "create-account");
        fields["Input.Name"] = "Too Late";
        fields["Input.Password"] = fields["Input.Confirm"] = PortalApp.Password;
        var accepted = await person.PostAsync(link, new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Contains("not valid", await accepted.Content.ReadAsStringAsync());
        Assert.False(await UserExistsAsync(email));
        Assert.Contains("invitation.revoked", await ActionsAsync(admin, demo));
    }

    [Fact]
    public async Task Link_FailsAfterSevenDays()
    {
        using var admin = await AdminAsync();
        var demo = await TenantIdAsync("demo");
        var (email, link) = await InviteAsync(admin, demo);
        using var person = _app.NewClient();
        Assert.Contains("create-account", await person.GetStringAsync(link));

        _clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        var page = await person.GetStringAsync(link);
        Assert.Contains("expired", page);
        Assert.DoesNotContain("create-account", page);
        using var freshAdmin = await AdminAsync();
        var pending = await freshAdmin.GetFromJsonAsync<JsonElement>($"api/v1/tenants/{demo}/invitations");
        Assert.DoesNotContain(pending.EnumerateArray(), i => i.GetProperty("email").GetString() == email);
    }

    [Fact]
    public async Task DisablingAMemberInTenantA_LeavesTheirSessionAndTokenInTenantBWorking()
    {
        using var admin = await AdminAsync();
        var demo = await TenantIdAsync("demo");
        var acme = await TenantIdAsync("acme");
        var email = $"both-{Guid.NewGuid():n}@example.com";
        var (person, demoMember) = await _app.InviteAndJoinAsync(admin, demo, email, "Developer");
        using var _ = person;
        var acmeMember = await _app.InviteAndAcceptAsync(admin, person, acme, email, "Developer");
        var token = await UserTokenAsync(person);

        var disabled = await admin.PatchAsJsonAsync($"api/v1/tenants/{demo}/members/{demoMember}", new { disabled = true });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetAsync($"api/v1/tenants/{demo}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await person.GetWithTokenAsync($"api/v1/tenants/{demo}/members", token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"api/v1/tenants/{acme}/members")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetWithTokenAsync($"api/v1/tenants/{acme}/members", token)).StatusCode);
        var me = await person.GetFromJsonAsync<JsonElement>("api/v1/me");
        Assert.Equal([acme], me.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()));

        // Removed from the last tenant too: nothing is left to reach.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"api/v1/tenants/{acme}/members/{acmeMember}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetAsync("api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetWithTokenAsync("api/v1/me", token)).StatusCode);
        Assert.Contains("member.removed", await ActionsAsync(admin, acme));
    }

    [Fact]
    public async Task Invite_ByADeveloper_IsRefused_AndSendsNothing()
    {
        using var developer = _app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var email = $"nope-{Guid.NewGuid():n}@example.com";

        var response = await developer.PostAsJsonAsync($"api/v1/tenants/{await TenantIdAsync("demo")}/invitations", new { email, role = "TenantAdmin" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_app.Mail.MessagesTo(email));
    }

    private async Task<HttpClient> AdminAsync()
    {
        var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        return admin;
    }

    private async Task<(string Email, string Link)> InviteAsync(HttpClient admin, Guid tenantId)
    {
        var email = $"invitee-{Guid.NewGuid():n}@example.com";
        var invited = await admin.PostAsJsonAsync($"api/v1/tenants/{tenantId}/invitations", new { email, role = "Developer" });
        Assert.Equal(HttpStatusCode.Created, invited.StatusCode);
        return (email, MailSink.LinkTo(await _app.Mail.WaitForMessageAsync(email), "/account/invitation"));
    }

    private async Task<string> UserTokenAsync(HttpClient browser)
    {
        await new OidcTests(_app).InitializeAsync();
        var (verifier, challenge) = OidcTests.NewPkce();
        var code = await OidcTests.AuthorizeAsync(browser, challenge, "S256", "http://127.0.0.1:53999/callback");
        var response = await OidcTests.ExchangeAsync(browser, code, verifier);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>The answer with what must differ (the address, the id, the times) blanked out.</summary>
    private static string Shape(string json, string email)
    {
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
        Assert.Equal(email, body["email"].GetString());
        return string.Join(";", body.OrderBy(p => p.Key).Select(p => p.Key is "id" or "email" or "createdAt" or "expiresAt" ? p.Key : $"{p.Key}={p.Value}"));
    }

    private static string WithoutLink(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"https?://\S+", "LINK");

    private async Task<List<string>> ActionsAsync(HttpClient admin, Guid tenantId) =>
        (await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={tenantId}&pageSize=200"))
            .GetProperty("records").EnumerateArray().Select(r => r.GetProperty("action").GetString()!).ToList();

    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    private async Task<bool> UserExistsAsync(string email) => await UserCountAsync(email) > 0;

    private async Task<int> UserCountAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant());
    }

    private async Task<bool> IsMemberAsync(string email, Guid tenantId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Memberships
            .AnyAsync(m => m.TenantId == tenantId && m.User!.NormalizedEmail == email.ToUpperInvariant());
    }
}
