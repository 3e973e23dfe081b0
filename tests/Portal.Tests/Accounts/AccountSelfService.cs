using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Accounts;

/// <summary>What a person does on the account pages over HTTP, for the self-service tests: ask for a reset link, use it, sign in.</summary>
internal static partial class AccountSelfService
{
    public const string NewPassword = "Brand-new-password-2026!";

    /// <summary>A fresh account (invited to Demo Inc. as a Developer, accepted), signed in on the client returned.</summary>
    public static async Task<(HttpClient Person, string Email)> NewPersonAsync(this PortalApp app)
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var demo = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        var email = $"self-{Guid.NewGuid():n}@example.com";
        var (person, _) = await app.InviteAndJoinAsync(admin, demo, email, "Developer");
        return (person, email);
    }

    public static Task<HttpResponseMessage> RequestResetAsync(this HttpClient client, string email) =>
        client.SubmitFormAsync("account/forgot-password", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });

    public static Task<HttpResponseMessage> ResetAsync(this HttpClient client, string link, string password) =>
        client.SubmitFormAsync(link, "reset-password", new Dictionary<string, string> { ["Input.Password"] = password, ["Input.Confirm"] = password });

    /// <summary>True once the client's session is over: an account page sends it to sign in.</summary>
    public static async Task<bool> IsSentToSignInAsync(this HttpClient client)
    {
        using var response = await client.GetAsync("account/settings");
        return response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("account/login") == true;
    }

    /// <summary>
    /// Waits for the session to end: cookies are re-checked against the account's security stamp every
    /// <c>Identity:SessionRevalidationSeconds</c> (2 in tests), not on every request.
    /// </summary>
    public static async Task AssertSentToSignInAsync(this HttpClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await client.IsSentToSignInAsync() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(await client.IsSentToSignInAsync(), "The other session is still signed in.");
    }

    public static async Task<bool> CanSignInAsync(this PortalApp app, string email, string password)
    {
        using var client = app.NewClient();
        return (await client.SubmitLoginAsync(email, password)).StatusCode == HttpStatusCode.Redirect;
    }

    /// <summary>
    /// The page without what differs on every render (antiforgery tokens, the protected descriptors of interactive
    /// components: long base64 runs), to compare two answers.
    /// </summary>
    public static string WithoutTokens(string html) => Token().Replace(html, "…");

    [GeneratedRegex("[A-Za-z0-9+/=_-]{32,}")]
    private static partial Regex Token();
}
