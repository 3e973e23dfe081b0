using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ApiKeysTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Developer_CreatesAKey_SeesItOnce_AndTheListShowsOnlyItsPrefix()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        await page.GotoAsync("api-keys");
        await new ShellPage(page).WaitUntilInteractiveAsync();

        await page.GetByLabel("Name (the application that uses it)").FillAsync("support-bot");
        await page.GetByTestId("create-key").ClickAsync();

        var secret = await page.GetByTestId("secret").InnerTextAsync();
        Assert.Matches("^pk_[0-9A-Za-z]{22,}_[0-9A-Za-z]+$", secret);
        var row = page.GetByTestId("keys-table").Locator("tr", new() { HasText = "support-bot" });
        await Assertions.Expect(row).ToContainTextAsync("pk_");
        Assert.DoesNotContain(secret, await row.InnerTextAsync());
        await BrowserFixture.ScreenshotAsync(page, "api-keys");

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("keys-table")).ToContainTextAsync("support-bot");
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await page.Context.CloseAsync();
    }
}
