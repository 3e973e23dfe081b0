using Microsoft.Playwright;

namespace Portal.Browser.Tests.Support;

/// <summary>
/// Debian's Chromium driven by Playwright (never a downloaded browser): the one place that launches it, for the shared
/// portal of the browser collection and for tests that start a portal of their own.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Args = Args,
            Headless = true,
        });
    }

    /// <summary>
    /// A fresh browser context on <paramref name="baseAddress"/>, signed out. Unless asked for, the guided tour counts
    /// as seen, so it stays out of screenshots. A phone is a touch screen of <see cref="Pages.PhoneScreen"/>'s size.
    /// </summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, int width = 1280, int height = 800, bool tourSeen = true, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = phone
                ? new ViewportSize { Width = Pages.PhoneScreen.Width, Height = Pages.PhoneScreen.Height }
                : new ViewportSize { Width = width, Height = height },
            IsMobile = phone,
            HasTouch = phone,
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

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
