using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Tests.Support;

/// <summary>What a person does on the account security page and the second sign-in step, over plain HTTP.</summary>
public static partial class TwoFactorClient
{
    /// <summary>Sets up two-factor sign-in for the signed-in person; answers the app's key and the recovery codes shown.</summary>
    public static async Task<(string Key, IReadOnlyList<string> RecoveryCodes)> EnrolTwoFactorAsync(this HttpClient client)
    {
        var started = await client.SubmitSecurityFormAsync("two-factor-start");
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var key = KeyShown(await started.Content.ReadAsStringAsync());

        // The step after the current one: the same code cannot then be replayed by the sign-in that follows in a test.
        var enabled = await client.SubmitSecurityFormAsync("two-factor-enable", ("EnableInput.Code", Totp.Code(key, stepsFromNow: -1)));
        var page = await enabled.Content.ReadAsStringAsync();
        var codes = RecoveryCodesShown(page);
        Assert.True(codes.Count == 10, "No recovery codes after enrolment: " + page);
        return (key, codes);
    }

    /// <summary>Posts one of the security page's forms (named by its handler) with the given fields.</summary>
    public static async Task<HttpResponseMessage> SubmitSecurityFormAsync(this HttpClient client, string handler, params (string Name, string Value)[] fields)
    {
        var page = await client.GetStringAsync("account/security");
        var form = FormFields(page, handler);
        foreach (var (name, value) in fields)
        {
            form[name] = value;
        }

        return await client.PostAsync("account/security", new FormUrlEncodedContent(form));
    }

    /// <summary>Submits the second sign-in step (after <see cref="PortalClient.SubmitLoginAsync"/> asked for it).</summary>
    public static async Task<HttpResponseMessage> SubmitSecondFactorAsync(this HttpClient client, string code, string? returnUrl = null)
    {
        var path = "account/login/two-factor" + (returnUrl is null ? "" : "?ReturnUrl=" + Uri.EscapeDataString(returnUrl));
        var page = await client.GetStringAsync(path);
        var form = FormFields(page, "second-factor");
        form["Input.Code"] = code;
        return await client.PostAsync(path, new FormUrlEncodedContent(form));
    }

    /// <summary>Signs in with the password and then the code of the current step, and asserts it worked.</summary>
    public static async Task SignInWithTwoFactorAsync(this HttpClient client, string email, string key, int stepsFromNow = 0)
    {
        var password = await client.SubmitLoginAsync(email, PortalApp.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Contains("account/login/two-factor", password.Headers.Location!.ToString());
        var code = await client.SubmitSecondFactorAsync(Totp.Code(key, stepsFromNow));
        Assert.True(code.StatusCode == HttpStatusCode.Redirect, $"Second step of {email} failed: {code.StatusCode}");
    }

    public static string KeyShown(string html)
    {
        var match = KeyPattern().Match(html);
        Assert.True(match.Success, "No key on the page: " + html);
        return match.Groups["key"].Value.Replace(" ", "").ToUpperInvariant();
    }

    public static IReadOnlyList<string> RecoveryCodesShown(string html) =>
        RecoveryCodesPattern().Match(html) is { Success: true } list
            ? CodePattern().Matches(list.Value).Select(m => m.Groups["code"].Value).ToList()
            : [];

    /// <summary>The hidden and text fields of the one form on the page whose handler is <paramref name="handler"/>.</summary>
    public static Dictionary<string, string> FormFields(string html, string handler)
    {
        var form = FormPattern().Matches(html).Select(m => m.Value)
            .SingleOrDefault(f => f.Contains($"name=\"_handler\" value=\"{handler}\"", StringComparison.Ordinal));
        Assert.True(form is not null, $"No form {handler} on the page: {html}");
        return PortalClient.HiddenInputs(form);
    }

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex("data-testid=\"two-factor-key\">(?<key>[a-z2-7 ]+)<")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("data-testid=\"recovery-codes\">.*?</ul>", RegexOptions.Singleline)]
    private static partial Regex RecoveryCodesPattern();

    [GeneratedRegex("<code>(?<code>[^<]+)</code>")]
    private static partial Regex CodePattern();
}
