using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// The navigation, the app bar and the Overview's area cards are markup written by hand in MudBlazor's classes rather
/// than MudNavLink, MudIconButton and MudCard: they still mark where the person is, draw their icons, answer the
/// keyboard and fold away on a phone. The drawer is markup too, opened and closed in the browser by the width and the
/// menu button, with MudDrawer's classes.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LayoutMarkupTests(BrowserFixture fixture)
{
    [Fact]
    public async Task TheNavigation_MarksTheCurrentAreaAndPage_AsTheyChange()
    {
        var page = await SignedInPageAsync();

        await ExpectActiveAsync(page, "[data-area=Overview]");
        await page.Locator("[data-area=Endpoints] a").ClickAsync();
        await page.WaitForURLAsync("**/endpoints");
        await ExpectActiveAsync(page, "[data-area=Endpoints]");

        await page.Locator("[data-page='/migration/break-even'] a").ClickAsync();
        await page.WaitForURLAsync("**/migration/break-even");
        await ExpectActiveAsync(page, "[data-area=Migration]", "[data-page='/migration/break-even']");

        // A page below an area keeps its area marked, wherever the address came from.
        await page.GotoAsync("health/notifications");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await ExpectActiveAsync(page, "[data-area=HealthSla]", "[data-page='/health/notifications']");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task EveryNavigationEntryAndAreaCard_DrawsItsIcon_AndLinksWhereItSays()
    {
        var page = await SignedInPageAsync();

        var entries = page.Locator("nav[aria-label='Product areas'] .mud-nav-item");
        await Assertions.Expect(entries).ToHaveCountAsync(14);
        foreach (var entry in await entries.AllAsync())
        {
            var link = entry.Locator("a.mud-nav-link");
            Assert.False(string.IsNullOrEmpty(await link.GetAttributeAsync("href")));
            Assert.True(await link.Locator("svg.mud-nav-link-icon path").CountAsync() > 0, $"{await entry.InnerHTMLAsync()} draws no icon.");
            Assert.False(string.IsNullOrWhiteSpace(await link.InnerTextAsync()));
        }

        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Product areas" });
        await Assertions.Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Health & SLA", Exact = true })).ToHaveAttributeAsync("href", "/health");
        var cards = page.Locator("[data-testid=area-cards] [data-card]");
        await Assertions.Expect(cards).ToHaveCountAsync(10);
        var deploy = page.Locator("[data-card=Deploy]");
        await Assertions.Expect(deploy.Locator("h6")).ToHaveTextAsync("Deploy");
        await Assertions.Expect(deploy.Locator("svg.mud-primary-text path")).Not.ToHaveCountAsync(0);
        await deploy.GetByRole(AriaRole.Link, new() { Name = "Open" }).ClickAsync();
        await page.WaitForURLAsync("**/deploy");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheAppBarButtons_AnswerTheKeyboard_AndTheDarkModeButtonSwitchesTheTheme()
    {
        var page = await SignedInPageAsync();
        var drawer = page.Locator(".mud-drawer");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));

        var background = page.Locator("body");
        var light = await background.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var darkMode = page.GetByRole(AriaRole.Button, new() { Name = "Toggle dark mode" });
        var icon = await darkMode.InnerHTMLAsync();
        await darkMode.ClickAsync();
        await Assertions.Expect(darkMode).Not.ToHaveJSPropertyAsync("innerHTML", icon);
        await Assertions.Expect(background).Not.ToHaveCSSAsync("background-color", light);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TheMenus_OpenFromTheirStandIns_ByKeyboardAndPointer_AndKeepWorking()
    {
        var page = await SignedInPageAsync();

        await page.GetByTestId("user-menu").GetByRole(AriaRole.Button).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(new Regex(@"\w"));
        // A click beside an open MudMenu closes it; the menu, now a MudMenu, opens again from its own button.
        await page.Mouse.ClickAsync(640, 500);
        await Assertions.Expect(page.GetByTestId("user-name")).Not.ToBeVisibleAsync();
        await page.GetByTestId("user-menu").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-name")).ToBeVisibleAsync();
        await page.Mouse.ClickAsync(640, 500);
        await Assertions.Expect(page.GetByTestId("user-name")).Not.ToBeVisibleAsync();

        await page.GetByTestId("tenant-switcher").ClickAsync();
        var otherTenant = page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = "Acme Research" });
        await Assertions.Expect(otherTenant).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AtPhoneWidth_TheDrawerStartsClosed_OpensFromTheMenuButton_AndClosesOnceALinkIsFollowed()
    {
        var page = await SignedInPageAsync(width: 390, height: 844);
        var drawer = page.Locator(".mud-drawer");
        var usage = page.Locator("[data-area=Usage]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Assertions.Expect(usage).ToBeInViewportAsync();
        await usage.ClickAsync();

        await page.WaitForURLAsync("**/usage");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await ExpectActiveAsync(page, "[data-area=Usage]");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AtPhoneWidth_TappingTheOverlay_ClosesTheDrawer()
    {
        var page = await SignedInPageAsync(width: 390, height: 844);
        var drawer = page.Locator(".mud-drawer");
        var overlay = page.Locator(".mud-drawer-overlay");
        await Assertions.Expect(overlay).Not.ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Assertions.Expect(overlay).ToBeVisibleAsync();
        // The drawer covers the overlay's middle: tap beside it, on the darkened page.
        await overlay.ClickAsync(new() { Position = new() { X = 350, Y = 600 } });

        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Assertions.Expect(overlay).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-area=Usage]")).Not.ToBeInViewportAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task OnADesktop_TheOpenDrawerShiftsThePage_WithoutAnOverlay_AndFollowsTheWidthAcrossTheBreakpoint()
    {
        var page = await SignedInPageAsync();
        var drawer = page.Locator(".mud-drawer");
        var content = page.Locator(".mud-main-content");
        var width = await drawer.EvaluateAsync<double>("e => e.getBoundingClientRect().width");
        Assert.True(width > 0);
        await Assertions.Expect(content).ToHaveCSSAsync("margin-left", $"{width}px");
        await Assertions.Expect(page.Locator(".mud-drawer-overlay")).Not.ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Assertions.Expect(content).ToHaveCSSAsync("margin-left", "0px");

        // Narrowing the window to a phone's folds the drawer away; widening it again brings it back, as MudDrawer did.
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await page.SetViewportSizeAsync(390, 844);
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Assertions.Expect(page.Locator("[data-area=Usage]")).Not.ToBeInViewportAsync();
        await page.SetViewportSizeAsync(1280, 800);
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Assertions.Expect(content).ToHaveCSSAsync("margin-left", $"{width}px");
        await page.Context.CloseAsync();
    }

    private async Task<IPage> SignedInPageAsync(int width = 1280, int height = 800)
    {
        var page = await fixture.NewPageAsync(width, height);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        await new ShellPage(page).WaitUntilInteractiveAsync();
        return page;
    }

    /// <summary>Exactly the given entries are marked current, each for the eye (active) and for screen readers (aria-current).</summary>
    private static async Task ExpectActiveAsync(IPage page, params string[] entries)
    {
        var active = page.Locator("nav[aria-label='Product areas'] a.active");
        await Assertions.Expect(active).ToHaveCountAsync(entries.Length);
        foreach (var entry in entries)
        {
            var link = page.Locator(entry).Locator("a");
            await Assertions.Expect(link).ToHaveClassAsync(new Regex(@"\bactive\b"));
            await Assertions.Expect(link).ToHaveAttributeAsync("aria-current", "page");
        }
    }
}
