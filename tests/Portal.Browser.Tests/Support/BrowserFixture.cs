using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Browser.Tests.Support;

/// <summary>
/// The portal on a loopback port and Debian's Chromium driven by Playwright (never a downloaded browser).
/// Set PORTAL_SCREENSHOTS to a folder to keep screenshots of the pages the tests visit.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public PortalApp App { get; } = new();

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)App).InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Args = ChromiumArgs,
            Headless = true,
        });
    }

    /// <summary>A fresh browser context, signed out. Unless asked for, the guided tour counts as seen, so it stays out of screenshots.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800, bool tourSeen = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(15_000);
        if (tourSeen)
        {
            await MarkTourSeenAsync(context);
        }

        return await context.NewPageAsync();
    }

    /// <summary>Sets the guided tour's flag in localStorage before any page script runs.</summary>
    public static Task MarkTourSeenAsync(IBrowserContext context) =>
        context.AddInitScriptAsync("try { localStorage.setItem('portal.tour.seen', '1'); } catch { }");

    public static async Task ScreenshotAsync(IPage page, string name, bool fullPage = false)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = fullPage });
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await ((IAsyncLifetime)App).DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
