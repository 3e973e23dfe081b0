using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The platform operator's Tenants page (<c>/platform/tenants</c>).</summary>
public sealed class TenantsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("platform/tenants");
        await page.GetByTestId("platform-tenants-table").WaitForAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public async Task SelectAsync(string name)
    {
        await page.GetByTestId("platform-tenants-table").Locator("tr", new() { HasText = name }).ClickAsync();
        await Assertions.Expect(Panel).ToContainTextAsync(name);
    }

    public ILocator Panel => page.GetByTestId("tenant-panel");

    /// <summary>Clicks the panel's Export and returns the downloaded file's path.</summary>
    public async Task<string> ExportAsync()
    {
        var download = await page.RunAndWaitForDownloadAsync(() => Panel.GetByTestId("tenant-export").ClickAsync());
        Assert.EndsWith(".zip", download.SuggestedFilename);
        return (await download.PathAsync())!;
    }
}
