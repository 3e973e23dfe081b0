using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Hardening;

/// <summary>Behind a TLS-terminating proxy, tokens without the API scope, and an issuer that does not follow the Host header.</summary>
public class ProxyScopeAndIssuerTests
{
    [Fact]
    public async Task BehindATrustedProxy_TheSessionCookieIsSecure_OnlyWhenTheProxySaysHttps()
    {
        await WithPortalAsync(new PortalApp().With("ForwardedHeaders:Enabled", "true"), async app =>
        {
            Assert.Contains("secure", await SessionCookieAsync(app, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secure", await SessionCookieAsync(app, forwardedProto: null), StringComparison.OrdinalIgnoreCase);
        });
    }

    [Fact]
    public async Task AnUntrustedProxy_CannotClaimHttps()
    {
        await WithPortalAsync(new PortalApp().With("ForwardedHeaders:Enabled", "true").With("ForwardedHeaders:KnownProxies:0", "10.0.0.1"), async app =>
            Assert.DoesNotContain("secure", await SessionCookieAsync(app, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AnAccessToken_WithoutTheApiScope_IsRefusedByTheApi()
    {
        await WithPortalAsync(new PortalApp(), async app =>
        {
            using var client = app.NewClient();
            var response = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = "demo-automation", ["client_secret"] = "demo-automation-secret-2026",
            }));
            var unscoped = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
            var scoped = await client.ClientCredentialsTokenAsync("demo-automation", "demo-automation-secret-2026");

            var refused = await client.GetWithTokenAsync("api/v1/me", unscoped);

            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("insufficient_scope", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
            Assert.Equal(HttpStatusCode.OK, (await client.GetWithTokenAsync("api/v1/me", scoped)).StatusCode);
        });
    }

    [Fact]
    public async Task AConfiguredIssuer_DoesNotFollowTheHostHeader()
    {
        await WithPortalAsync(new PortalApp().With("OpenIddict:Issuer", "https://portal.example.com/"), async app =>
        {
            using var client = app.NewClient();
            var request = new HttpRequestMessage(HttpMethod.Get, ".well-known/openid-configuration");
            request.Headers.Host = "attacker.example";

            var discovery = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

            Assert.Equal("https://portal.example.com/", discovery.GetProperty("issuer").GetString());
        });
    }

    private static async Task<string> SessionCookieAsync(PortalApp app, string? forwardedProto)
    {
        using var client = app.NewClient();
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        var response = await client.SubmitLoginAsync("dev@demo.local", PortalApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("portal.session=", StringComparison.Ordinal));
    }

    private static async Task WithPortalAsync(PortalApp app, Func<PortalApp, Task> test)
    {
        await app.InitializeAsync();
        try
        {
            await test(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
