using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The portal's frame: navigation drawer, tenant switcher, user menu.</summary>
public sealed class ShellPage(IPage page)
{
    private ILocator NavItems => page.Locator("[data-area]");

    /// <summary>
    /// Waits for the interactive circuit, then reads the areas the navigation offers. The navigation is plain markup,
    /// present in the prerendered response too, so its presence alone does not mean the page answers clicks yet.
    /// </summary>
    public async Task<IReadOnlyList<string>> AreasAsync()
    {
        await WaitUntilInteractiveAsync();
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

    /// <summary>The account button is a stand-in until first clicked; before the circuit connects a click is lost.</summary>
    public async Task SignOutAsync()
    {
        await WaitUntilInteractiveAsync();
        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("sign-out").ClickAsync();
    }
}
