using System.Net;
using System.Text.RegularExpressions;
using Portal.Tests.Support;

namespace Portal.Tests.Accounts;

/// <summary>
/// A Development portal with its own mail sink (as <c>dotnet run</c> starts it): the log says where to read the mail, the
/// sign-in page links there, and a password reset sent by the portal is listed at that address.
/// </summary>
public sealed partial class DevelopmentMailTests : IAsyncLifetime
{
    private readonly PortalApp _app = new();

    public DevelopmentMailTests() => _app
        .With("Email:DevelopmentSink:Enabled", "true")
        .With("Email:DevelopmentSink:Folder", Path.Combine(_app.DataDirectory, "development-mail"))
        .With("Email:DevelopmentSink:HttpPort", "0");

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task TheLogAndTheSignInPage_ShowWhereToReadTheMail_AndTheMailIsThere()
    {
        var logged = await _app.Log.WaitForAsync(l => l.Contains("read it at"), TimeSpan.FromSeconds(30));
        var listing = ListingAddress().Match(logged).Value;
        Assert.StartsWith("http://127.0.0.1:", listing);
        using var visitor = _app.NewClient();

        var signIn = await visitor.GetStringAsync("account/login");
        await visitor.RequestResetAsync("dev@demo.local");

        Assert.Contains("data-testid=\"development-mail\"", signIn);
        Assert.Contains($"href=\"{listing}\"", signIn);
        Assert.Empty(_app.Mail.MessagesTo("dev@demo.local")); // It went to the Development sink instead.
        using var browser = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var page = await browser.GetStringAsync(listing);
        while (!page.Contains("dev@demo.local") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            page = await browser.GetStringAsync(listing);
        }

        Assert.Contains("dev@demo.local", page);
        var message = await browser.GetStringAsync(new Uri(new Uri(listing), MessageLink().Match(page).Groups["path"].Value));
        Assert.Contains("/account/reset-password?", WebUtility.HtmlDecode(message));
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/")]
    private static partial Regex ListingAddress();

    [GeneratedRegex("href=\"(?<path>/messages/[A-Za-z0-9-]+)\"")]
    private static partial Regex MessageLink();
}
