using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary>
/// <c>portal login</c> as a person: the device authorization grant against the portal's OpenIddict server, approved on
/// the /connect/verify page by a signed-in member (driven over HTTP as a browser would), then a refresh on expiry.
/// </summary>
public sealed partial class DeviceLoginTests(CliPortal portal) : IClassFixture<CliPortal>
{
    /// <summary>Standard error that tells the test the moment the command prints its code.</summary>
    private sealed class WatchedError : StringWriter
    {
        public TaskCompletionSource<string> Code { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && CodePattern().Match(value) is { Success: true } match)
            {
                Code.TrySetResult(match.Groups["code"].Value);
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }

    [GeneratedRegex(@"enter the code (?<code>\S+)")]
    private static partial Regex CodePattern();

    private async Task<HttpResponseMessage> DecideAsync(HttpClient browser, string code, string decision)
    {
        var page = await browser.GetAsync($"connect/verify?user_code={Uri.EscapeDataString(code)}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Portal command line", html);
        Assert.Contains(code, html);

        var fields = PortalClient.HiddenInputs(html);
        fields["decision"] = decision;
        return await browser.PostAsync("connect/verify/decision", new FormUrlEncodedContent(fields));
    }

    [Fact]
    public async Task Login_ApprovedOnTheVerificationPage_StoresTokens_ThatRefreshWhenExpired()
    {
        using var cli = new CliRun();
        var error = new WatchedError();
        var login = cli.RunAsync(error, "login", "--portal", portal.Url);
        var code = await error.Code.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var browser = portal.App.NewClient();
        // Not signed in: the page sends the person to sign in and back.
        var anonymous = await browser.GetAsync($"connect/verify?user_code={code}");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/account/login", anonymous.Headers.Location!.ToString());

        await browser.SignInAsync("dev@demo.local");
        var approved = await DecideAsync(browser, code, "approve");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Contains("approved=true", approved.Headers.Location!.ToString());

        var result = await login.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("as Dev Developer (user)", result.Output);
        Assert.Contains("Developer", result.Output);

        var stored = JsonNode.Parse(await File.ReadAllTextAsync(cli.CredentialsPath))!["portals"]!.AsObject().Single().Value!;
        Assert.Equal("device", stored["kind"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(stored["refreshToken"]?.GetValue<string>()));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.CredentialsPath));
        }

        // An access token past its expiry is renewed with the refresh token, and the new one is stored.
        var oldToken = stored["accessToken"]!.GetValue<string>();
        stored["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O");
        await File.WriteAllTextAsync(cli.CredentialsPath, stored.Root.ToJsonString());
        var whoami = await cli.RunAsync("whoami", "--output", "json");
        Assert.True(whoami.ExitCode == 0, whoami.ToString());
        Assert.Equal("user", JsonDocument.Parse(whoami.Output).RootElement.GetProperty("kind").GetString());
        var renewed = JsonNode.Parse(await File.ReadAllTextAsync(cli.CredentialsPath))!["portals"]!.AsObject().Single().Value!;
        Assert.NotEqual(oldToken, renewed["accessToken"]!.GetValue<string>());
        Assert.True(renewed["expiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Login_DeniedOnTheVerificationPage_ExitsOne_AndStoresNothing()
    {
        using var cli = new CliRun();
        var error = new WatchedError();
        var login = cli.RunAsync(error, "login", "--portal", portal.Url);
        var code = await error.Code.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var browser = portal.App.NewClient();
        await browser.SignInAsync("dev@demo.local");
        var denied = await DecideAsync(browser, code, "deny");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);

        var result = await login.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("access_denied", result.Error);
        Assert.False(File.Exists(cli.CredentialsPath));
    }

    [Fact]
    public async Task VerificationPage_WithAWrongCode_SaysSo()
    {
        using var browser = portal.App.NewClient();
        await browser.SignInAsync("dev@demo.local");
        var html = await browser.GetStringAsync("connect/verify?user_code=WRONG-CODE");
        Assert.Contains("not valid or has expired", html);
    }
}
