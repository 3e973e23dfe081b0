using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Hardening;

/// <summary>Every environment but Development is hardened, whatever its name.</summary>
public class HardenedStartTests
{
    [Fact]
    public async Task Staging_WithoutCertificatesOrAuditKey_RefusesToStart_NamingEachMissingSetting()
    {
        var message = await StartFailureAsync(new PortalApp().InEnvironment("Staging"));

        Assert.Contains("Staging environment", message);
        Assert.Contains("OpenIddict:SigningCertificate:Path", message);
        Assert.Contains("OpenIddict:EncryptionCertificate:Path", message);
        Assert.Contains("Audit:SigningKeyPath", message);
        Assert.Contains("only Development generates a key", message);
    }

    [Fact]
    public async Task Staging_WithTheDevelopmentSeedOn_RefusesToStart()
    {
        var message = await StartFailureAsync(new PortalApp().InEnvironment("Staging").WithProductionKeys().With("Seed:Enabled", "true"));

        Assert.Contains("Seed:Enabled must be false", message);
        Assert.DoesNotContain("OpenIddict:SigningCertificate:Path", message);
    }

    [Fact]
    public async Task Staging_WithItsKeys_Starts_Hardened_NoSeedAndTokensOnlyOverHttps()
    {
        var app = new PortalApp().InEnvironment("Staging").WithProductionKeys();
        await app.InitializeAsync();
        try
        {
            await AssertHardenedAsync(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task AssertHardenedAsync(PortalApp app)
    {
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);
        var signIn = await client.SubmitLoginAsync("admin@demo.local", PortalApp.Password);
        Assert.Contains("Sign-in failed", await signIn.Content.ReadAsStringAsync());
        var token = await client.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = "demo-automation", ["client_secret"] = "demo-automation-secret-2026",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, token.StatusCode);
        Assert.Contains("HTTPS", (await token.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error_description").GetString());
    }

    private static async Task<string> StartFailureAsync(PortalApp app)
    {
        try
        {
            return Messages(await Record.ExceptionAsync(app.InitializeAsync));
        }
        finally
        {
            if (app.Mail is not null)
            {
                await app.Mail.DisposeAsync();
            }

            await app.DisposeAsync();
        }
    }

    private static string Messages(Exception? e)
    {
        Assert.NotNull(e);
        var messages = new List<string>();
        for (var current = e; current is not null; current = current.InnerException)
        {
            messages.Add(current.Message);
        }

        return string.Join(Environment.NewLine, messages);
    }
}
