using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The portal's frame: navigation drawer, tenant switcher, user menu.</summary>
public sealed class ShellPage(IPage page)
{
    private ILocator NavItems => page.Locator("[data-area]");

    /// <summary>Waits for the interactive circuit to render the navigation, then reads the areas it offers.</summary>
    public async Task<IReadOnlyList<string>> AreasAsync()
    {
        await NavItems.First.WaitForAsync();
        var areas = new List<string>();
        foreach (var item in await NavItems.AllAsync())
        {
            areas.Add((await item.GetAttributeAsync("data-area"))!);
        }

        return areas;
    }

    /// <summary>The first response is prerendered; typing before the circuit connects would be lost.</summary>
    public Task WaitUntilInteractiveAsync() => page.Locator("[data-interactive=true]").WaitForAsync();

    public ILocator Heading => page.Locator("h1").First;

    public async Task SignOutAsync()
    {
        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();
    }
}
