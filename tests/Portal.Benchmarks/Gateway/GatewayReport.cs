using System.Globalization;
using System.Text;
using Portal.Tests.Support.Load;
using static Portal.Benchmarks.BenchmarkArgs;

namespace Portal.Benchmarks.Gateway;

/// <summary>The shipped gateway benchmark's tables: open loop, closed loop, samples kept, page loads, cold starts.</summary>
internal static class GatewayReport
{
    public static void Print(List<OpenRun> open, List<ClosedRun> closed, PortalSetup setup, Dictionary<Guid, int> sent,
        Dictionary<Guid, int> stored, PageLoads? pages, QuietPages quiet, int concurrency, IReadOnlyList<ColdStart> cold, int rounds)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Shipped gateway benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores; streaming chat, 16 content chunks 5 ms apart from a minimal upstream.");
        text.AppendLine();
        text.AppendLine("| rate (req/s) | round | target | requests | failures | TTFB p50 (ms) | TTFB p99 (ms) | added p50 (ms) | added p99 (ms) | CPU / request (µs) | added p50 ÷ bare YARP | CPU ÷ bare YARP | load avg (before → after) | idle proxies' CPU (ms/s) |");
        text.AppendLine("|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|");
        foreach (var run in open)
        {
            var (direct, yarp) = (Of(open, run, "direct"), Of(open, run, "bare YARP"));
            var isDirect = run.Target == "direct";
            var added50 = run.P50 - direct.P50;
            var added99 = run.P99 - direct.P99;
            var ratio = isDirect || run.Target == "bare YARP" ? "–" : F(P50Ratio(open, run), "0.00") + "×";
            var cpuRatio = CpuRatio(open, run) is { } cr && run.Target != "bare YARP" ? F(cr, "0.00") + "×" : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Rate} | {run.Round} | {run.Target} | {run.Results.Length} | {run.Failures} | {F(run.P50, "0.00")} | {F(run.P99, "0.00")} | {(isDirect ? "–" : F(added50, "0.00"))} | {(isDirect ? "–" : F(added99, "0.00"))} | {(run.CpuPerRequestUs is { } us ? F(us, "0") : "–")} | {ratio} | {cpuRatio} | {F(run.LoadBefore, "0.0")} → {F(run.LoadAfter, "0.0")} | {F(run.OthersCpu.TotalMilliseconds / run.Seconds, "0")} |");
        }

        text.AppendLine();
        text.AppendLine("Idle proxies' CPU: what the proxies not under load (the bare forwarder, nginx and the other portal process, all on the same cores) spent during the row.");
        if (rounds > 1)
        {
            AppendMedians(text, open, closed, rounds);
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Closed loop, concurrency {concurrency}, 16 chunks with no gap:");
        text.AppendLine();
        text.AppendLine("| round | target | completed | failed | req/s | ÷ bare YARP | CPU / request (µs) | load avg after |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---|");
        foreach (var run in closed)
        {
            var cpu = run.Cpu is { } c ? F(c.TotalMicroseconds / Math.Max(1, run.Result.Completed + run.Result.Failed), "0") : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Round} | {run.Target} | {run.Result.Completed} | {run.Result.Failed} | {F(run.Result.PerSecond, "0")} | {F(100 * ClosedShare(closed, run), "0")} % | {cpu} | {F(run.LoadAfter, "0.0")} |");
        }

        text.AppendLine();
        text.AppendLine("Samples after a graceful stop (SIGTERM) of every portal process, open-loop runs (warm-up included):");
        text.AppendLine();
        text.AppendLine("| process | scenario | requests sent | samples stored | lost |");
        text.AppendLine("|---|---|---:|---:|---:|");
        foreach (var (role, scenario, id) in setup.Keys)
        {
            if (sent.TryGetValue(id, out var count))
            {
                var kept = stored.GetValueOrDefault(id);
                text.AppendLine(CultureInfo.InvariantCulture, $"| {role} | {(scenario == ColdStart.Scenario ? "cold start" : scenario + "/s")} | {count} | {kept} | {count - kept} |");
            }
        }

        if (pages is not null)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Observability page ({pages.Kind}, signed in, until its percentiles show; the browser opened the sign-in page first, in {F(pages.SignInPageMs, "0")} ms) while the full portal took the highest rate: {pages.Durations.Count} loads, p50 {F(StreamingLoad.Percentile(pages.Durations, 0.5), "0")} ms, max {F(pages.Durations.DefaultIfEmpty(double.NaN).Max(), "0")} ms, {pages.Failures} failed; in order: {string.Join(", ", pages.Durations.Select(d => F(d, "0")))} ms.");
            if (pages.Phases.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"Each load from navigation (ms): HTML first byte / document loaded / circuit negotiated / circuit interactive / figures shown: {string.Join("; ", pages.Phases.Select(p => $"{F(p.Html, "0")} / {F(p.Loaded, "0")} / {F(p.Negotiated, "0")} / {F(p.Interactive, "0")} / {F(p.Figures, "0")}"))}.");
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Observability page on the quiet full portal afterwards ({quiet.Pages.Kind}): {quiet.Pages.Durations.Count} loads, p50 {F(StreamingLoad.Percentile(quiet.Pages.Durations, 0.5), "0")} ms, {quiet.Pages.Failures} failed; the portal's CPU per load {F(quiet.PerLoad.TotalMilliseconds, "0.0")} ms, of which the page's frame (a model with no endpoint: layout, filters, a warning) {F(quiet.FramePerLoad.TotalMilliseconds, "0.0")} ms (idle CPU, {F(quiet.IdlePerSecond.TotalMilliseconds, "0.0")} ms a second, taken off); load average {F(LoadAverage(), "0.0")}.");

        foreach (var run in cold)
        {
            var warm = open.First(r => r.Rate == run.Rate && r.Target == (run.Role == "All" ? "portal (full role)" : "portal (gateway-only role)"));
            run.AppendTo(text, warm.P50, warm.P99);
        }

        Console.WriteLine(text);
    }

    /// <summary>
    /// Each proxy's ratios to the bare forwarder, round by round (each against its own round's direct and bare rows), and
    /// their median and range: one round on a shared machine can swing either way, the median of alternated rounds less so.
    /// </summary>
    private static void AppendMedians(StringBuilder text, List<OpenRun> open, List<ClosedRun> closed, int rounds)
    {
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Over the {rounds} rounds, each round's ratio to its own bare YARP row: median [lowest – highest].");
        text.AppendLine();
        text.AppendLine("| rate (req/s) | target | added p50 (ms) | added p99 (ms) | CPU / request (µs) | added p50 ÷ bare YARP | CPU ÷ bare YARP |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|");
        foreach (var group in open.Where(r => r.Target is not "direct" && !r.Target.EndsWith("page loads", StringComparison.Ordinal))
                     .GroupBy(r => (r.Rate, r.Target)))
        {
            var runs = group.ToList();
            var isBare = group.Key.Target == "bare YARP";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key.Rate} | {group.Key.Target} | {Spread(runs.Select(r => r.P50 - Of(open, r, "direct").P50), "0.00")} | {Spread(runs.Select(r => r.P99 - Of(open, r, "direct").P99), "0.00")} | {Spread(runs.Where(r => r.CpuPerRequestUs is not null).Select(r => r.CpuPerRequestUs!.Value), "0")} | {(isBare ? "–" : Spread(runs.Select(r => P50Ratio(open, r)), "0.00", "×"))} | {(isBare ? "–" : Spread(runs.Where(r => CpuRatio(open, r) is not null).Select(r => CpuRatio(open, r)!.Value), "0.00", "×"))} |");
        }

        if (closed.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Closed loop over the {rounds} rounds, throughput ÷ that round's bare YARP: {string.Join("; ", closed.Where(r => r.Target != "bare YARP").GroupBy(r => r.Target).Select(g => $"{g.Key} {Spread(g.Select(r => 100 * ClosedShare(closed, r)), "0", " %")}"))}.");
        }
    }

    private static OpenRun Of(List<OpenRun> open, OpenRun run, string target) =>
        open.First(r => r.Rate == run.Rate && r.Round == run.Round && r.Target == target);

    private static double P50Ratio(List<OpenRun> open, OpenRun run)
    {
        var (direct, yarp) = (Of(open, run, "direct"), Of(open, run, "bare YARP"));
        return (run.P50 - direct.P50) / (yarp.P50 - direct.P50);
    }

    private static double? CpuRatio(List<OpenRun> open, OpenRun run) =>
        run.CpuPerRequestUs / Of(open, run, "bare YARP").CpuPerRequestUs;

    private static double ClosedShare(List<ClosedRun> closed, ClosedRun run) =>
        run.Result.PerSecond / (closed.FirstOrDefault(r => r.Round == run.Round && r.Target == "bare YARP")?.Result.PerSecond ?? double.NaN);

    private static string Spread(IEnumerable<double> values, string format, string unit = "")
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? "–" : $"{F(StreamingLoad.Percentile(sorted, 0.5), format)}{unit} [{F(sorted[0], format)} – {F(sorted[^1], format)}]";
    }

    internal static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

internal sealed record QuietPages(PageLoads Pages, TimeSpan PerLoad, TimeSpan FramePerLoad, TimeSpan IdlePerSecond);

internal sealed record OpenRun(int Rate, string Target, StreamResult[] Results, double Seconds, TimeSpan? Cpu, double LoadBefore, double LoadAfter, TimeSpan OthersCpu, int Round)
{
    public int Failures => Results.Count(r => !r.Ok);

    public double P50 => StreamingLoad.Percentile(Results.Where(r => r.Ok).Select(r => r.FromScheduleMs), 0.50);

    public double P99 => StreamingLoad.Percentile(Results.Where(r => r.Ok).Select(r => r.FromScheduleMs), 0.99);

    public double? CpuPerRequestUs => Cpu is { } c ? c.TotalMicroseconds / Results.Length : null;
}

internal sealed record ClosedRun(string Target, ClosedLoopResult Result, TimeSpan? Cpu, double LoadAfter, int Round);
