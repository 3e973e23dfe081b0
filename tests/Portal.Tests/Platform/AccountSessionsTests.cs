using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Accounts;
using Portal.Tests.Foundation;
using Portal.Tests.Support;

namespace Portal.Tests.Platform;

/// <summary>A platform operator ends every session of a person, in every tenant; nobody else can.</summary>
public sealed class AccountSessionsTests : IAsyncLifetime
{
    private readonly PortalApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task AnOperator_EndsEverySessionAndToken_OfAPersonInTwoTenants_RecordedInEveryTrail()
    {
        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var (demo, acme) = (await TenantIdAsync(admin, "Demo Inc."), await TenantIdAsync(admin, "Acme Research"));
        var email = $"laptop-{Guid.NewGuid():n}@example.com";
        var (person, _) = await _app.InviteAndJoinAsync(admin, demo, email, "Developer");
        using var _ = person;
        await _app.InviteAndAcceptAsync(admin, person, acme, email, "Developer");
        var token = await UserTokenAsync(person);
        Assert.Equal(HttpStatusCode.OK, (await person.GetWithTokenAsync("api/v1/me", token)).StatusCode);
        using var @operator = _app.NewClient();
        await @operator.SignInAsync("operator@portal.local");

        var ended = await @operator.PostAsJsonAsync("api/v1/platform/accounts/end-sessions", new { email, reason = "Ticket #88: laptop stolen" });

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetWithTokenAsync("api/v1/me", token)).StatusCode); // tokens at once
        await person.AssertSentToSignInAsync(); // the cookie at its next check against the account
        Assert.Equal(HttpStatusCode.Unauthorized, (await person.GetAsync("api/v1/me")).StatusCode);
        var accountId = (await ended.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accountId").GetString();
        foreach (var trail in new[] { "", $"tenantId={demo}&", $"tenantId={acme}&" })
        {
            var reader = trail.Length == 0 ? @operator : admin;
            var record = (await reader.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?{trail}action=account.sessions_ended&pageSize=1"))
                .GetProperty("records")[0];
            Assert.Equal((accountId, "Ticket #88: laptop stolen"), (record.GetProperty("resourceId").GetString(), record.GetProperty("reason").GetString()));
        }

        // The account itself is untouched: the person signs in again.
        using var again = _app.NewClient();
        await again.SignInAsync(email);
    }

    [Fact]
    public async Task OnlyAnOperator_EndsSomeonesSessions_AndTheRequestIsChecked()
    {
        using var admin = _app.NewClient();
        using var support = _app.NewClient();
        using var @operator = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        await support.SignInAsync("support@portal.local");
        await @operator.SignInAsync("operator@portal.local");

        Assert.Equal(HttpStatusCode.Forbidden, (await EndAsync(admin, "dev@demo.local", "because")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await EndAsync(support, "dev@demo.local", "because")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EndAsync(@operator, "dev@demo.local", " ")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await EndAsync(@operator, "nobody@nowhere.example", "because")).StatusCode);
        using var dev = _app.NewClient();
        await dev.SignInAsync("dev@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync("api/v1/me")).StatusCode);
    }

    private static Task<HttpResponseMessage> EndAsync(HttpClient client, string email, string reason) =>
        client.PostAsJsonAsync("api/v1/platform/accounts/end-sessions", new { email, reason });

    private static async Task<Guid> TenantIdAsync(HttpClient admin, string name) =>
        (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == name).GetProperty("id").GetGuid();

    private async Task<string> UserTokenAsync(HttpClient browser)
    {
        await new OidcTests(_app).InitializeAsync();
        var (verifier, challenge) = OidcTests.NewPkce();
        var code = await OidcTests.AuthorizeAsync(browser, challenge, "S256", "http://127.0.0.1:53999/callback");
        var response = await OidcTests.ExchangeAsync(browser, code, verifier);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
