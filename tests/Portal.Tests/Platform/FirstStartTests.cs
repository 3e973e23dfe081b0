using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Platform;

/// <summary>
/// A Production start on SQLite with keys from files: no seed and no demo; the log's one-time setup link creates the first
/// platform operator once, is refused after it expires, is replaced at the next start, and of concurrent uses only one wins.
/// </summary>
public sealed partial class FirstStartTests
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"https?://\S+/setup\?token=[A-Za-z0-9_-]{43}")]
    private static partial Regex SetupLink();

    private static async Task<Uri> SetupLinkAsync(PortalApp app) =>
        new(SetupLink().Match(await app.Log.WaitForAsync(l => SetupLink().IsMatch(l), LogWait)).Value);

    private static async Task<HttpResponseMessage> SubmitSetupAsync(HttpClient client, Uri link, string email, string password, string? page = null)
    {
        page ??= await client.GetStringAsync(link);
        var fields = PortalClient.HiddenInputs(page);
        fields["Input.Email"] = email;
        fields["Input.DisplayName"] = "Olga Operator";
        fields["Input.Password"] = password;
        fields["Input.ConfirmPassword"] = password;
        return await client.PostAsync(link, new FormUrlEncodedContent(fields));
    }

    private static async Task<(int Operators, int Tokens, int Tenants)> CountAsync(PortalApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return (await db.Users.CountAsync(u => u.IsOperator), await db.PlatformSetupTokens.CountAsync(), await db.Tenants.CountAsync());
    }

    [Fact]
    public async Task ProductionStart_SeedsNothing_AndTheLoggedLinkCreatesTheOperatorOnce()
    {
        var app = new PortalApp().InProduction();
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            await FirstStartAsync(app);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task FirstStartAsync(PortalApp app)
    {
        var link = await SetupLinkAsync(app);

        Assert.Equal(app.BaseAddress.Authority, link.Authority);
        Assert.Equal((0, 1, 0), await CountAsync(app));
        Assert.Empty(app.Services.GetServices<IHostedService>().OfType<Portal.Demo.DemoRunner>());
        using (var visitor = app.NewClient())
        {
            Assert.Equal(HttpStatusCode.OK, (await visitor.SubmitLoginAsync("admin@demo.local", PortalApp.Password)).StatusCode);
        }

        using var browser = app.NewClient();
        using var slower = app.NewClient();
        var slowerPage = await slower.GetStringAsync(link);
        var weak = await SubmitSetupAsync(browser, link, "olga@example.com", "short");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("setup-error-Password", await weak.Content.ReadAsStringAsync());
        Assert.Equal((0, 1, 0), await CountAsync(app));

        var created = await SubmitSetupAsync(browser, link, "olga@example.com", "A-long-operator-passphrase-2026");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.EndsWith("/platform/tenants", created.Headers.Location!.OriginalString);
        Assert.Equal((1, 0, 0), await CountAsync(app));

        // Signed in by the setup: the operator's session works against the management API at once.
        var tenant = await browser.PostAsJsonAsync("api/v1/platform/tenants", new { name = "First Customer", slug = "first-customer" });
        Assert.Equal(HttpStatusCode.Created, tenant.StatusCode);
        var records = (await browser.GetFromJsonAsync<JsonElement>("api/v1/audit/records?action=platform.")).GetProperty("records").EnumerateArray().ToList();
        var setup = Assert.Single(records);
        Assert.Equal("platform.operator_created", setup.GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Null, setup.GetProperty("tenantId").ValueKind);
        Assert.Equal("Olga Operator", setup.GetProperty("actorName").GetString());

        // Used once, the link is gone for everyone: a form opened before is refused when sent, the link opens no form.
        var late = await SubmitSetupAsync(slower, link, "mallory@example.com", "A-long-operator-passphrase-2026", slowerPage);
        Assert.Equal(HttpStatusCode.OK, late.StatusCode);
        Assert.Contains("not valid or has already been used", await late.Content.ReadAsStringAsync());
        using var latecomer = app.NewClient();
        var again = await latecomer.GetStringAsync(link);
        Assert.Contains("not valid or has already been used", again);
        Assert.DoesNotContain("Input.Password", again);
        Assert.Equal(1, (await CountAsync(app)).Operators);
    }

    [Fact]
    public async Task SetupLink_IsRefusedAfterItExpires_ARestartIssuesANewOne_AndOfConcurrentUsesExactlyOneWins()
    {
        var first = new PortalApp().InProduction();
        await ((IAsyncLifetime)first).InitializeAsync();
        var expired = await SetupLinkAsync(first);
        await using (var scope = first.Services.CreateAsyncScope())
        {
            // An hour later, as the database sees it.
            var past = DateTimeOffset.UtcNow.AddMinutes(-1);
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().PlatformSetupTokens.ExecuteUpdateAsync(s => s.SetProperty(t => t.ExpiresAt, past));
        }

        using (var browser = first.NewClient())
        {
            var page = await browser.GetStringAsync(expired);
            Assert.Contains("This setup link has expired", page);
            Assert.DoesNotContain("Input.Password", page);
        }

        Assert.Equal(0, (await CountAsync(first)).Operators);
        first.KeepOnDispose = true;
        await ((IAsyncLifetime)first).DisposeAsync();

        var restarted = PortalApp.OnExistingData(first.DataDirectory).InProduction();
        await ((IAsyncLifetime)restarted).InitializeAsync();
        try
        {
            var renewed = await SetupLinkAsync(restarted);
            Assert.NotEqual(expired.Query, renewed.Query);
            using (var browser = restarted.NewClient())
            {
                // The restarted portal listens on another port; the old token is what matters.
                Assert.Contains("not valid or has already been used", await browser.GetStringAsync(new Uri(restarted.BaseAddress, expired.PathAndQuery)));
            }

            var browsers = Enumerable.Range(0, 4).Select(_ => restarted.NewClient()).ToList();
            var pages = await Task.WhenAll(browsers.Select(b => b.GetStringAsync(renewed)));
            var answers = await Task.WhenAll(browsers.Select((b, i) =>
                SubmitSetupAsync(b, renewed, $"operator{i}@example.com", "A-long-operator-passphrase-2026", pages[i])));

            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
            foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Redirect))
            {
                var body = await refused.Content.ReadAsStringAsync();
                Assert.True(body.Contains("not valid or has already been used"),
                    $"{refused.StatusCode}: {body}\n{string.Join("\n", restarted.Log.Lines.Where(l => l.StartsWith("Error") || l.StartsWith("Warning")))}");
            }

            Assert.Equal((1, 0), ((await CountAsync(restarted)).Operators, (await CountAsync(restarted)).Tokens));
            browsers.ForEach(b => b.Dispose());
        }
        finally
        {
            await ((IAsyncLifetime)restarted).DisposeAsync();
        }
    }
}
