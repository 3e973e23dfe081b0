using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class NotificationsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Admin_AddsAnEmailChannel_SendsATestThatArrivesAndShowsInTheLog_AndAnInwardChatUrlIsRefused()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var notifications = new NotificationsPage(page);
        await notifications.OpenAsync();
        var address = $"browser-{Guid.NewGuid():N}@example.com";

        await notifications.AddEmailChannelAsync("Browser inbox", address);
        await Assertions.Expect(notifications.Channel("Browser inbox")).ToContainTextAsync(address);
        await notifications.SendTestAsync("Browser inbox");

        var message = await fixture.App.Mail.WaitForMessageAsync(address);
        Assert.Equal("[Portal] Test message for \"Browser inbox\"", message.Subject);
        await Assertions.Expect(notifications.Log.Locator("tr", new() { HasText = "Test message for \"Browser inbox\"" })).ToContainTextAsync("Sent");
        await BrowserFixture.ScreenshotAsync(page, "notifications", fullPage: true);

        await notifications.AddChatChannelAsync("#inward", "http://127.0.0.1:6000/services/x");
        await Assertions.Expect(notifications.Form).ToContainTextAsync("not allowed");
        await Assertions.Expect(notifications.Channel("#inward")).ToHaveCountAsync(0);

        await notifications.DeleteAsync("Browser inbox");
        await Assertions.Expect(notifications.Channel("Browser inbox")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Developer_SeesTheChannelsButNoFormToChangeThem()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var notifications = new NotificationsPage(page);

        await notifications.OpenAsync();

        await Assertions.Expect(page.GetByText("Only TenantAdmins change channels and quiet hours")).ToBeVisibleAsync();
        await Assertions.Expect(notifications.Form).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
