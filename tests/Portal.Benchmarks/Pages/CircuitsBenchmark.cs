using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Benchmarks.Gateway;
using Portal.Tests.Support;
using Portal.Tests.Support.Load;
using static Portal.Benchmarks.BenchmarkArgs;

namespace Portal.Benchmarks.Pages;

/// <summary>
/// Memory per open page: the shipped portal (<c>dotnet Portal.dll</c>, full role) with signed-in Blazor circuits held
/// open by Chromium tabs, half on the Overview and half on the Observability page (or only one of them, with --pages). After each step the portal's managed
/// heap is read from a heap snapshot, which first runs a full, blocking collection (<c>dotnet-gcdump</c>), so only what
/// the circuits keep alive is counted. Reports the heap at 0 circuits and at each step, and the growth per circuit.
/// </summary>
/// <remarks>
/// dotnet run -c Release --project tests/Portal.Benchmarks -- circuits [--steps 50,100] [--pages overview,observability]
///     [--portal-dir …] [--reports DIR] [--traffic]
/// Needs Chromium (/usr/bin/chromium or CHROMIUM_PATH) and the local tools (dotnet tool restore).
/// </remarks>
internal static partial class CircuitsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var steps = Flag(args, "--steps", "50,100").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var pageNames = Flag(args, "--pages", "overview,observability").Split(',').Select(p => p.Trim()).ToArray();
        if (pageNames.FirstOrDefault(n => n is not ("overview" or "observability")) is { } unknown)
        {
            Console.Error.WriteLine($"--pages takes overview and observability, not '{unknown}'.");
            return 2;
        }

        var portalDirectory = Flag(args, "--portal-dir", ShippedGatewayBenchmark.DefaultPortalDirectory());
        ReportsFolder = Flag(args, "--reports", "") is { Length: > 0 } folder ? Directory.CreateDirectory(folder).FullName : null;
        if (!File.Exists(Path.Combine(portalDirectory, "Portal.dll")))
        {
            Console.Error.WriteLine($"No Portal.dll in {portalDirectory}: build it first (dotnet build -c Release src/Portal) or pass --portal-dir.");
            return 2;
        }

        var data = Directory.CreateTempSubdirectory("portal-circuits-bench-");
        try
        {
            // --traffic: a serverless endpoint with 2,000 measured requests, so the Observability tabs draw their figures.
            await using var upstream = args.Contains("--traffic") ? await StreamingUpstream.StartAsync(TimeSpan.FromMilliseconds(5)) : null;
            string[] allow = upstream is null ? [] : [$"--Outbound:Allow:0={upstream.BaseUri.Authority}"];
            await using var portal = await PortalProcess.StartAsync(portalDirectory, data.FullName, "All", allow);
            if (upstream is not null)
            {
                var setup = await PortalSetup.CreateAsync(portal.BaseUri, upstream.BaseUri, ["circuits"]);
                using var load = new StreamingLoad(new Uri(portal.BaseUri, "v1/"), setup.Key("All", "circuits").Secret, PortalSetup.PacedEndpoint);
                var failed = (await load.OpenLoopAsync(200, 2000)).Count(r => !r.Ok);
                ObservabilityPath = $"observability?model={PortalSetup.PacedEndpoint}&window=1h";
                Console.WriteLine($"2,000 requests through the gateway ({failed} failed); Observability tabs open {ObservabilityPath}.");
            }

            var cookies = new CookieContainer();
            using (var client = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = portal.BaseUri })
            {
                await client.SignInAsync("admin@demo.local");
            }

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
                // Tabs share a few renderer processes so a hundred fit on a small machine; each still holds its own circuit.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--renderer-process-limit=4", "--disable-renderer-backgrounding",
                    "--disable-background-timer-throttling"],
            });
            var context = await browser.NewContextAsync();
            await context.AddCookiesAsync(cookies.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie
            {
                Name = c.Name, Value = c.Value, Url = portal.BaseUri.ToString(),
            }));

            // One page first, so everything a first visit loads once (compiled queries, component types) is in the baseline.
            var pages = new List<IPage>();
            await OpenAsync(context, pages, portal.BaseUri, ["overview", "observability"], 2);
            await ClosePagesAsync(pages);
            var baseline = await HeapAsync(portal.ProcessId, data.FullName);
            Console.WriteLine($"Portal {portal.BaseUri} (pid {portal.ProcessId}); managed heap after a full collection, no circuit: {Mb(baseline)}.");
            Console.WriteLine($"Pages: {string.Join(", ", pageNames.Select(n => "/" + PagePath(n)))}.");
            Console.WriteLine();
            Console.WriteLine("| circuits open | managed heap | growth over none | per circuit | resident memory |");
            Console.WriteLine("|---|---|---|---|---|");
            var perCircuit = 0d;
            foreach (var step in steps)
            {
                var watch = Stopwatch.StartNew();
                await OpenAsync(context, pages, portal.BaseUri, pageNames, step - pages.Count);
                var heap = await HeapAsync(portal.ProcessId, data.FullName);
                perCircuit = (heap - baseline) / (double)pages.Count;
                Console.WriteLine($"| {pages.Count} | {Mb(heap)} | {Mb(heap - baseline)} | {perCircuit / 1024:F0} KB | {Mb(Resident(portal.ProcessId))} |");
                Console.Error.WriteLine($"({pages.Count} circuits opened in {watch.Elapsed.TotalSeconds:F0} s)");
            }

            Console.WriteLine();
            Console.WriteLine($"Target ≤ 300 KB per circuit: {(perCircuit <= 300 * 1024 ? "met" : "not met")} ({perCircuit / 1024:F0} KB at {pages.Count}).");
            await ClosePagesAsync(pages);
            await portal.StopAsync();
            return perCircuit <= 300 * 1024 ? 0 : 1;
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    private static string PagePath(string name) => name.Trim() switch
    {
        "overview" => "",
        "observability" => ObservabilityPath,
        var other => throw new ArgumentException($"No page '{other}'."),
    };

    /// <summary>Opens <paramref name="count"/> tabs, taking the pages in turn, each waited for until its circuit runs.</summary>
    private static async Task OpenAsync(IBrowserContext context, List<IPage> pages, Uri portal, string[] pageNames, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var page = await context.NewPageAsync();
            var path = PagePath(pageNames[pages.Count % pageNames.Length]);
            await page.GotoAsync(new Uri(portal, path).ToString());
            await page.Locator("[data-interactive=true]").WaitForAsync(new() { Timeout = 120_000 });
            pages.Add(page);
        }
    }

    private static async Task ClosePagesAsync(List<IPage> pages)
    {
        foreach (var page in pages)
        {
            await page.CloseAsync();
        }

        pages.Clear();
        // Closed tabs end their circuits at once (the connection closes); give the server a moment to dispose them.
        await Task.Delay(TimeSpan.FromSeconds(3));
    }

    /// <summary>Managed heap bytes after a full blocking collection: a heap snapshot with dotnet-gcdump, its total read back.</summary>
    private static string ObservabilityPath { get; set; } = "observability";

    /// <summary>--reports DIR keeps each heap report (live objects by type) for a look at what the circuits hold.</summary>
    private static string? ReportsFolder { get; set; }

    private static async Task<long> HeapAsync(int processId, string folder)
    {
        var file = Path.Combine(folder, $"heap-{Guid.NewGuid():N}.gcdump");
        await ToolAsync("dotnet-gcdump", "collect", "-p", processId.ToString(CultureInfo.InvariantCulture), "-o", file);
        var report = await ToolAsync("dotnet-gcdump", "report", file);
        File.Delete(file);
        if (ReportsFolder is { } reports)
        {
            var name = Path.Combine(reports, $"heap-{DateTime.UtcNow:HHmmss}-{Guid.NewGuid():N}.txt"[..24] + ".txt");
            await File.WriteAllTextAsync(name, report);
            Console.Error.WriteLine($"(heap report: {name})");
        }

        var total = TotalLine().Match(report);
        return total.Success
            ? long.Parse(total.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"No total in the heap report:\n{report}");
    }

    private static async Task<string> ToolAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output
            : throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static long Resident(int processId)
    {
        var status = File.ReadAllLines($"/proc/{processId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(status.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static string Mb(long bytes) => (bytes / 1024d / 1024d).ToString("F1", CultureInfo.InvariantCulture) + " MB";

    [GeneratedRegex(@"^\s*([\d,]+)\s+GC Heap bytes", RegexOptions.Multiline)]
    private static partial Regex TotalLine();
}
