using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Portal.Data;
using Portal.Tests.Support;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Tests.Foundation;

public sealed class OidcTests(PortalApp app) : IClassFixture<PortalApp>, IAsyncLifetime
{
    private const string PublicClient = "test-spa";
    private const string RedirectUri = "http://127.0.0.1:53999/callback";

    public async Task InitializeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(PublicClient) is null)
        {
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = PublicClient,
                ClientType = ClientTypes.Public,
                RedirectUris = { new Uri(RedirectUri) },
                Permissions =
                {
                    Permissions.Endpoints.Authorization, Permissions.Endpoints.Token,
                    Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code,
                    Permissions.Prefixes.Scope + "portal_api", Permissions.Scopes.Profile,
                },
                Requirements = { Requirements.Features.ProofKeyForCodeExchange },
            });
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Discovery_AdvertisesCodeWithS256OnlyAndClientCredentials()
    {
        using var client = app.NewClient();
        var discovery = await client.GetFromJsonAsync<JsonElement>(".well-known/openid-configuration");

        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(["S256"], discovery.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        var grants = discovery.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("authorization_code", grants);
        Assert.Contains("client_credentials", grants);
    }

    [Fact]
    public async Task ClientCredentialsToken_CallsMe_AsTheClientInItsTenant()
    {
        using var client = app.NewClient();
        var token = await client.ClientCredentialsTokenAsync(PortalApp.ClientId, PortalApp.ClientSecret);

        var me = await (await client.GetWithTokenAsync("api/v1/me", token)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("client", me.GetProperty("kind").GetString());
        Assert.Equal(PortalApp.ClientId, me.GetProperty("subject").GetString());
        var tenant = Assert.Single(me.GetProperty("tenants").EnumerateArray());
        Assert.Equal("Demo Inc.", tenant.GetProperty("name").GetString());
        Assert.Equal("Developer", tenant.GetProperty("role").GetString());
    }

    [Fact]
    public async Task ClientCredentials_WithAWrongSecret_IsRefused()
    {
        using var client = app.NewClient();
        var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = PortalApp.ClientId, ["client_secret"] = "wrong",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Me_WithoutCredentials_Is401()
    {
        using var client = app.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Me_WithTheSessionCookie_ReturnsThePersonAndBothTenants()
    {
        using var browser = app.NewClient();
        await browser.SignInAsync("admin@demo.local");

        var me = await browser.GetFromJsonAsync<JsonElement>("api/v1/me");

        Assert.Equal("user", me.GetProperty("kind").GetString());
        Assert.Equal("Ada Admin", me.GetProperty("name").GetString());
        Assert.Equal(["Acme Research", "Demo Inc."],
            me.GetProperty("tenants").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public async Task AuthorizationCode_WithS256_IssuesATokenOnce_AndReusingTheCodeRevokesIt()
    {
        using var browser = app.NewClient();
        await browser.SignInAsync("dev@demo.local");
        var (verifier, challenge) = NewPkce();

        var code = await AuthorizeAsync(browser, challenge, "S256", RedirectUri);
        var first = await ExchangeAsync(browser, code, verifier);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var token = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
        var me = await (await browser.GetWithTokenAsync("api/v1/me", token)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Dev Developer", me.GetProperty("name").GetString());

        var second = await ExchangeAsync(browser, code, verifier);

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("invalid_grant", (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        // A replayed code means it leaked: what was issued from it is revoked too (RFC 6749, section 4.1.2).
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetWithTokenAsync("api/v1/me", token)).StatusCode);
    }

    [Fact]
    public async Task AuthorizationCode_GrantingAProgramAccess_EntersThePersonsAuditTrail()
    {
        using var browser = app.NewClient();
        await browser.SignInAsync("dev@demo.local");
        var (_, challenge) = NewPkce();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var before = await db.AuditRecords.MaxAsync(r => r.Sequence);

        await AuthorizeAsync(browser, challenge, "S256", RedirectUri);

        var demo = await db.Tenants.Where(t => t.Slug == "demo").Select(t => t.Id).SingleAsync();
        var granted = await db.AuditRecords.AsNoTracking().Where(r => r.Sequence > before
            && r.Action == "auth.client_authorized" && r.ResourceId == PublicClient && r.ActorName == "Dev Developer").ToListAsync();
        var record = Assert.Single(granted);
        Assert.Equal(demo, record.TenantId);
        Assert.Contains("portal_api", record.Details);
    }

    [Fact]
    public async Task EndSession_SignsThisBrowserOut_AndIsRecorded()
    {
        using var browser = app.NewClient();
        await browser.SignInAsync("auditor@demo.local");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var before = await db.AuditRecords.MaxAsync(r => r.Sequence);

        var ended = await browser.GetAsync("connect/endsession");

        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/v1/me")).StatusCode);
        var record = Assert.Single(await db.AuditRecords.AsNoTracking()
            .Where(r => r.Sequence > before && r.Action == "auth.signed_out" && r.ActorName == "Aud Auditor").ToListAsync());
        Assert.Contains("end_session", record.Details);
    }

    [Fact]
    public async Task AuthorizationCode_WithAPlainChallenge_IsRefused()
    {
        using var browser = app.NewClient();
        await browser.SignInAsync("dev@demo.local");
        var (verifier, _) = NewPkce();

        var response = await browser.GetAsync(AuthorizeUrl(verifier, "plain", RedirectUri));

        var error = ErrorOf(response);
        Assert.Equal("invalid_request", error);
    }

    [Fact]
    public async Task AuthorizationCode_WithARedirectUriNotRegisteredExactly_IsRefusedWithoutRedirecting()
    {
        using var browser = app.NewClient();
        await browser.SignInAsync("dev@demo.local");
        var (_, challenge) = NewPkce();

        var response = await browser.GetAsync(AuthorizeUrl(challenge, "S256", RedirectUri + "/extra"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task Authorize_WhenNotSignedIn_SendsThePersonToTheSignInPage()
    {
        using var browser = app.NewClient();
        var (_, challenge) = NewPkce();

        var response = await browser.GetAsync(AuthorizeUrl(challenge, "S256", RedirectUri));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/account/login", response.Headers.Location!.ToString());
    }

    internal static async Task<string> AuthorizeAsync(HttpClient browser, string challenge, string method, string redirectUri)
    {
        var response = await browser.GetAsync(AuthorizeUrl(challenge, method, redirectUri));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(redirectUri, location.ToString());
        return QueryHelpers.ParseQuery(location.Query)["code"].ToString();
    }

    internal static Task<HttpResponseMessage> ExchangeAsync(HttpClient client, string code, string verifier) =>
        client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = PublicClient,
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = RedirectUri,
        }));

    internal static string AuthorizeUrl(string challenge, string method, string redirectUri) =>
        QueryHelpers.AddQueryString("connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = PublicClient,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "portal_api profile",
            ["state"] = "xyz",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = method,
        });

    internal static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64UrlTextEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlTextEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return (verifier, challenge);
    }

    private static string? ErrorOf(HttpResponseMessage response)
    {
        // OpenIddict answers an invalid request either on its error page or by redirecting back with ?error=.
        if (response.Headers.Location is { } location)
        {
            return QueryHelpers.ParseQuery(location.Query).TryGetValue("error", out var e) ? e.ToString() : null;
        }

        return response.StatusCode == HttpStatusCode.BadRequest ? "invalid_request" : null;
    }
}
