using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Tests.Hardening;

/// <summary>
/// Guessing passwords is throttled per client address, and a guesser cannot keep the owner out: the owner's own address
/// is not locked by someone else's failures, and a reset lifts every lockout. Client addresses are set the way a trusted
/// proxy forwards them (X-Forwarded-For from loopback).
/// </summary>
public sealed class SignInThrottlingTests : IAsyncLifetime
{
    private const string Attacker = "203.0.113.5";
    private const string Owner = "198.51.100.7";

    private readonly PortalApp _app = new PortalApp()
        .With("ForwardedHeaders:Enabled", "true")
        .With("RateLimits:SignInPerMinute", "10")
        .With("Identity:AccountLockoutFailures", "6");

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task TwentyFailedSignInsFromOneAddress_AreThrottled_AndTheOwnerSignsInFromAnother()
    {
        using var attacker = From(Attacker);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await attacker.SubmitLoginAsync("dev@demo.local", "wrong-password-" + i));
        }

        Assert.All(answers.Take(10), a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.All(answers.Skip(10), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        var throttled = answers[^1];
        Assert.InRange(int.Parse(throttled.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        var problem = await throttled.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Too many attempts", problem.GetProperty("title").GetString());

        // The owner, elsewhere, is neither throttled nor locked out by the guesses.
        using var owner = From(Owner);
        await owner.SignInAsync("dev@demo.local");
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("api/v1/me")).StatusCode);
        // The trail names the guesser's address, as the trusted proxy forwarded it.
        using var admin = From(Owner);
        await admin.SignInAsync("admin@demo.local");
        var locked = await LockedOutRecordsAsync(admin);
        Assert.Contains(locked, r => r.GetProperty("actorIp").GetString() == Attacker);
    }

    [Fact]
    public async Task GuessesFromManyAddresses_LockTheAccount_AndAResetByEmailLiftsIt()
    {
        const string email = "auditor@demo.local";
        for (var i = 0; i < 6; i++)
        {
            using var guesser = From($"203.0.113.{100 + i}");
            await guesser.SubmitLoginAsync(email, "wrong-password-" + i);
        }

        using var owner = From(Owner);
        var refused = await owner.SubmitLoginAsync(email, PortalApp.Password);
        Assert.Contains("Sign-in failed", await refused.Content.ReadAsStringAsync());

        var before = _app.Mail.MessagesTo(email).Count;
        await owner.SubmitFormAsync("account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });
        var link = MailSink.LinkTo(await _app.Mail.WaitForMessageAsync(email, before + 1), "/account/reset-password");
        const string newPassword = "A-new-password-2026!";
        var reset = await owner.SubmitFormAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.Password"] = newPassword,
            ["Input.Confirm"] = newPassword,
        });
        Assert.True(reset.IsSuccessStatusCode || reset.StatusCode == HttpStatusCode.Redirect, reset.StatusCode.ToString());

        await owner.SignInAsync(email, newPassword);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("api/v1/me")).StatusCode);
    }

    private HttpClient From(string address)
    {
        var client = _app.NewClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    private static async Task<List<JsonElement>> LockedOutRecordsAsync(HttpClient admin)
    {
        var me = await admin.GetFromJsonAsync<JsonElement>("api/v1/me");
        var demo = me.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        var page = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&action=auth.locked_out&pageSize=200");
        return page.GetProperty("records").EnumerateArray().ToList();
    }
}
