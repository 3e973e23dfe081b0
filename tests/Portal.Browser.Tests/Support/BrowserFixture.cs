using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Browser.Tests.Support;

/// <summary>
/// The portal on a loopback port and Chromium (see <see cref="Support.Chromium"/>), shared by the browser collection.
/// Set PORTAL_SCREENSHOTS to a folder to keep screenshots of the pages the tests visit.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public PortalApp App { get; } = new();

    public Chromium Chromium { get; } = new();

    public IBrowser Browser => Chromium.Browser;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)App).InitializeAsync();
        await Chromium.InitializeAsync();
    }

    /// <summary>A fresh browser context on the shared portal, signed out; see <see cref="Chromium.NewPageAsync"/>.</summary>
    public Task<IPage> NewPageAsync(int width = 1280, int height = 800, bool tourSeen = true) =>
        Chromium.NewPageAsync(App.BaseAddress, width, height, tourSeen);

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
        await Chromium.DisposeAsync();
        await ((IAsyncLifetime)App).DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
