using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// A signed-in person opening the Observability page of the loaded endpoint once a second until the run it watches
/// ends. With Chromium (/usr/bin/chromium or CHROMIUM_PATH) each load is timed in a real browser from navigation until
/// the page's percentiles show, its circuit running; without one, the server-rendered HTML is timed instead.
/// </summary>
internal sealed class PageLoads
{
    private Func<TimeSpan>? _portalCpu;
    private int _loads = 8;

    public List<double> Durations { get; } = [];

    /// <summary>
    /// In a browser, where each timed load went: the server's HTML (its first byte), the document's load event (scripts,
    /// styles and fonts fetched and run), the circuit's negotiation answered (the browser ran its scripts and asked for a
    /// circuit), the circuit interactive, the figures shown; milliseconds from navigation.
    /// </summary>
    public List<(double Html, double Loaded, double Negotiated, double Interactive, double Figures)> Phases { get; } = [];

    public int Failures { get; private set; }

    /// <summary>The sign-in before the loads (the sign-in page asked for, the form posted), milliseconds.</summary>
    public double SignInMs { get; private set; }

    /// <summary>The sign-in page in the browser before the loads (a fresh browser: scripts and styles fetched), milliseconds.</summary>
    public double SignInPageMs { get; private set; }

    /// <summary>The portal's CPU time over the loads (sign-in and browser start excluded), when a reader was given.</summary>
    public TimeSpan? Cpu { get; private set; }

    /// <summary>Wall time over the loads, the pauses between them included.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>"browser" or "server-rendered HTML": what <see cref="Durations"/> timed.</summary>
    public string Kind { get; private set; } = "browser";

    /// <summary>
    /// Signs in (the browser opening the sign-in page first, as a person arriving does), then loads the page of <paramref name="model"/> (the paced endpoint's by default) <paramref name="count"/>
    /// times, a second apart; a model without an endpoint draws the page's frame and a warning in place of the figures.
    /// With <paramref name="browserProfile"/>, Chromium keeps its profile (its HTTP and compiled-script caches) in that
    /// folder, so a later call with the same folder is a returning person's browser rather than a new one.
    /// </summary>
    public static async Task<PageLoads> StartAsync(Uri portal, Func<TimeSpan>? portalCpu = null, int count = 8, string model = PortalSetup.PacedEndpoint,
        string? browserProfile = null)
    {
        var loads = new PageLoads { _portalCpu = portalCpu, _loads = count };
        var cookies = new CookieContainer();
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = portal,
        };
        var signIn = Stopwatch.StartNew();
        await client.SignInAsync("admin@demo.local");
        loads.SignInMs = signIn.Elapsed.TotalMilliseconds;
        var path = $"observability?model={Uri.EscapeDataString(model)}&window=1h";
        var chromium = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            loads.Kind = "server-rendered HTML";
            await loads.RepeatAsync(() => client.GetStringAsync(path));
            return loads;
        }

        using var playwright = await Playwright.CreateAsync();
        string[] chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
        await using var browser = browserProfile is null ? await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Args = chromiumArgs }) : null;
        await using var context = browser is not null
            ? await browser.NewContextAsync()
            : await playwright.Chromium.LaunchPersistentContextAsync(browserProfile!, new() { ExecutablePath = chromium, Args = chromiumArgs });
        // As a person arrives: the browser opens the sign-in page first (it fetches and compiles the console's scripts and
        // styles there), then the page is opened signed in, as after the sign-in's redirect. The form is posted above, by
        // the same client whose cookie the browser is given.
        var arrival = await context.NewPageAsync();
        var arrived = Stopwatch.StartNew();
        await arrival.GotoAsync(new Uri(portal, "account/login").ToString());
        loads.SignInPageMs = arrived.Elapsed.TotalMilliseconds;
        await arrival.CloseAsync();
        await context.AddCookiesAsync(cookies.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Url = portal.ToString() }));
        var page = await context.NewPageAsync();
        await loads.RepeatAsync(async () =>
        {
            var watch = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(portal, path).ToString());
            var loaded = watch.Elapsed.TotalMilliseconds;
            await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 30_000 });
            var interactive = watch.Elapsed.TotalMilliseconds;
            await page.Locator(model == PortalSetup.PacedEndpoint ? "[data-testid=ttft-percentiles]" : ".mud-alert").First.WaitForAsync(new() { Timeout = 30_000 });
            var figures = watch.Elapsed.TotalMilliseconds;
            var html = await page.EvaluateAsync<double>("() => performance.getEntriesByType('navigation')[0].responseStart");
            var negotiated = await page.EvaluateAsync<double>(
                "() => performance.getEntriesByType('resource').find(e => e.name.includes('/_blazor/negotiate'))?.responseEnd ?? -1");
            loads.Phases.Add((html, loaded, negotiated, interactive, figures));
        });
        return loads;
    }

    private async Task RepeatAsync(Func<Task> load)
    {
        var cpuBefore = _portalCpu?.Invoke();
        var all = Stopwatch.StartNew();
        for (var i = 0; i < _loads; i++)
        {
            var watch = Stopwatch.StartNew();
            try
            {
                await load();
                Durations.Add(watch.Elapsed.TotalMilliseconds);
            }
            catch (Exception e) when (e is HttpRequestException or PlaywrightException or TimeoutException)
            {
                Failures++;
            }

            await Task.Delay(TimeSpan.FromSeconds(1) - watch.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero);
        }

        Cpu = _portalCpu?.Invoke() - cpuBefore;
        Elapsed = all.Elapsed;
    }
}
