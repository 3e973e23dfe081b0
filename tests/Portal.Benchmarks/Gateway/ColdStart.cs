using System.Globalization;
using System.Text;
using Portal.Tests.Support.Load;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// A process started afresh and loaded at once: a new portal process of the given role on the benchmark's database,
/// sent the highest rate from the moment it serves its first request (the check a load balancer makes), with no warm-up.
/// The run is cut into seconds by each request's scheduled start, so the table shows how long the process takes, from
/// its first request, to reach the TTFB the warm process of that role had at the same rate. Asked to, the fresh full-role
/// process also serves the Observability page to a signed-in browser from the start of its load: the first page after a
/// deploy (the browser's start, the sign-in and the page then share the two cores with the traffic).
/// </summary>
/// <param name="Startup">From starting the process until it answered its first request.</param>
/// <param name="Pages">With a page asked for, the full role's Observability page loaded in a browser during the load.</param>
/// <param name="Log">The fresh process's warm-up line and page timings (the latter at Debug, with --page-log).</param>
internal sealed record ColdStart(string Role, int Rate, StreamResult[] Results, TimeSpan Startup, Guid KeyId, PageLoads? Pages, IReadOnlyList<string> Log)
{
    /// <summary>
    /// Starts a fresh process of <paramref name="role"/>, waits until it serves the benchmark's endpoints and loads it at
    /// <paramref name="rate"/> for <paramref name="seconds"/> (with <paramref name="withPage"/>, a browser loads the full
    /// role's Observability page meanwhile, <paramref name="pageAfter"/> after the process serves); the process is stopped gracefully before returning, so its
    /// samples are in the database for the count of lost samples. With <paramref name="port"/> and
    /// <paramref name="browserProfile"/> (the stopped warm process's address and the profile of the browser that used it),
    /// the page is a returning person's after a deploy: the same address, a browser that has run the console's scripts.
    /// </summary>
    public static async Task<ColdStart> RunAsync(
        string portalDirectory, string dataDirectory, string role, IEnumerable<string> arguments, PortalSetup setup, int rate, double seconds, bool withPage,
        TimeSpan pageAfter, int? port = null, string? browserProfile = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var portal = await PortalProcess.StartAsync(portalDirectory, dataDirectory, role, arguments, port);
        var key = setup.Key(role, Scenario);
        await setup.WaitUntilServedAsync(portal.BaseUri, key);
        var startup = watch.Elapsed;
        using var load = new StreamingLoad(new Uri(portal.BaseUri, "v1/"), key.Secret, PortalSetup.PacedEndpoint);
        var pageProbe = withPage && role == "All" ? PagesAfterAsync(portal.BaseUri, pageAfter, browserProfile) : null;
        var results = await load.OpenLoopAsync(rate, (int)(rate * seconds));
        var pages = pageProbe is null ? null : await pageProbe;
        await portal.StopAsync();
        Console.Error.WriteLine($"cold start {role}: done");
        return new ColdStart(role, rate, results, startup, key.Id, pages, portal.PageCostLines);
    }

    private static async Task<PageLoads> PagesAfterAsync(Uri portal, TimeSpan after, string? browserProfile)
    {
        await Task.Delay(after);
        return await PageLoads.StartAsync(portal, count: 4, browserProfile: browserProfile);
    }

    /// <summary>The key scenario cold starts send with, one key per role.</summary>
    public const string Scenario = "cold";

    /// <summary>One row per second of the run, and how long until every later second's p99 was within 2× the warm p99.</summary>
    public void AppendTo(StringBuilder text, double warmP50, double warmP99)
    {
        var seconds = Results.Select((r, i) => (Second: i / Rate, Result: r)).GroupBy(x => x.Second).OrderBy(g => g.Key).ToList();
        var p99s = seconds.Select(g => StreamingLoad.Percentile(g.Where(x => x.Result.Ok).Select(x => x.Result.FromScheduleMs), 0.99)).ToList();
        var steadyFrom = Enumerable.Range(0, p99s.Count + 1).First(s => p99s.Skip(s).All(p => p <= 2 * warmP99));
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Cold start, {(Role == "All" ? "full role" : "gateway-only role")}: a fresh process answered its first request {Startup.TotalSeconds:0.0} s after it was started, then took {Rate} req/s at once with no warm-up; {Results.Count(r => !r.Ok)} of {Results.Length} failed. Warm, the same role had TTFB p50 {warmP50:0.00} ms, p99 {warmP99:0.00} ms at this rate; every second's p99 was within 2× of that from second {steadyFrom + 1} {(steadyFrom >= p99s.Count ? "(never, within the run)" : "on")}.");
        text.AppendLine();
        text.AppendLine("| second | requests | failures | TTFB p50 (ms) | TTFB p99 (ms) | max (ms) |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var second in seconds)
        {
            var ok = second.Where(x => x.Result.Ok).Select(x => x.Result.FromScheduleMs).ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {second.Key + 1} | {second.Count()} | {second.Count(x => !x.Result.Ok)} | {StreamingLoad.Percentile(ok, 0.5):0.00} | {StreamingLoad.Percentile(ok, 0.99):0.00} | {ok.DefaultIfEmpty(double.NaN).Max():0.00} |");
        }

        text.AppendLine();
        if (Pages is { } pages)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"The Observability page of the fresh process meanwhile ({pages.Kind}, signed in; the sign-in took {pages.SignInMs:0} ms, the sign-in page in the browser {pages.SignInPageMs:0} ms): {string.Join(", ", pages.Durations.Select(d => d.ToString("0", CultureInfo.InvariantCulture)))} ms, {pages.Failures} failed; from navigation, HTML first byte / document loaded / circuit negotiated / circuit interactive / figures shown: {string.Join("; ", pages.Phases.Select(p => $"{p.Html:0} / {p.Loaded:0} / {p.Negotiated:0} / {p.Interactive:0} / {p.Figures:0}"))} ms.");
            text.AppendLine();
        }

        foreach (var line in Log)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {line}");
        }
    }
}
