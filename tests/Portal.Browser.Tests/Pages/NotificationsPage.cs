using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

public sealed class NotificationsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("health/notifications");
        await page.GetByTestId("notification-channels").WaitForAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public ILocator Form => page.GetByTestId("channel-form");

    public ILocator Channels => page.GetByTestId("notification-channels");

    public ILocator Log => page.GetByTestId("delivery-log");

    public ILocator Channel(string name) => Channels.Locator("tr", new() { HasText = name });

    public async Task AddEmailChannelAsync(string name, string addresses)
    {
        await Form.GetByLabel("Name").FillAsync(name);
        await Form.GetByLabel("Addresses, comma-separated").FillAsync(addresses);
        await Form.GetByTestId("channel-add").ClickAsync();
    }

    public async Task AddChatChannelAsync(string name, string url)
    {
        await Form.GetByLabel("Name").FillAsync(name);
        await Form.GetByTestId("channel-type").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Chat webhook (Slack-compatible)" }).ClickAsync();
        await Form.GetByLabel("Incoming-webhook URL").FillAsync(url);
        await Form.GetByTestId("channel-add").ClickAsync();
    }

    public async Task SendTestAsync(string name) => await Channel(name).GetByTestId("channel-test").ClickAsync();

    public async Task DeleteAsync(string name) =>
        await Channel(name).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
}
