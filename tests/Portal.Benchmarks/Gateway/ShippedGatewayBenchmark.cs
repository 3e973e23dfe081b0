using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Portal.Tests.Support.Load;
using static Portal.Benchmarks.BenchmarkArgs;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// What ships, under load: the real <c>src/Portal</c> process from its Release build output, in its full role and as a
/// gateway-only process (<c>--Portal:Role=Gateway</c>) on the same SQLite database, beside the upstream called directly,
/// a bare YARP forwarder and nginx (when installed), all in one run. The endpoint and keys are created through the
/// management API; the upstream is a minimal streaming server (16 content chunks 5 ms apart). Open-loop load at each
/// rate, then a closed loop (concurrency 64, no gap between chunks); afterwards both portals are stopped gracefully and
/// the samples in the database are counted against the requests sent. The full portal takes the highest rate twice: with
/// no page open, then while a signed-in browser loads its Observability page once a second. After the open-loop rows
/// the same page loads run on the quiet full portal, and its CPU per load (idle CPU taken off) is reported.
/// Flags: --rates (200,1000), --seconds (10), --warmup-seconds (3), --closed-seconds (8; 0 skips the closed loop),
/// --concurrency (64), --cold-seconds (10: a fresh process of each role loaded at the highest rate with no warm-up; 0
/// skips it; --cold-page loads the Observability page of the fresh full-role process meanwhile, --cold-no-warm-up starts it
/// without the console's warm-up), --portal-dir (src/Portal/bin/Release/net10.0 of this repository), --page-log (the full portal
/// logs the page's Debug timings, which are printed after the tables); --profile &lt;target&gt; loads only that target at
/// the first rate (or with --closed in a closed loop) for --seconds and prints its process id, for attaching a profiler.
/// </summary>
internal static class ShippedGatewayBenchmark
{
    public const string PacedModel = "paced";
    public const string FastModel = StreamingUpstream.FastModelPrefix + "-model";

    public static async Task<int> RunAsync(string[] args)
    {
        var rates = Flag(args, "--rates", "200,1000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(Flag(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var warmup = double.Parse(Flag(args, "--warmup-seconds", "3"), CultureInfo.InvariantCulture);
        var closedSeconds = double.Parse(Flag(args, "--closed-seconds", "8"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(Flag(args, "--concurrency", "64"), CultureInfo.InvariantCulture);
        var coldSeconds = double.Parse(Flag(args, "--cold-seconds", "10"), CultureInfo.InvariantCulture);
        string[] coldArguments = args.Contains("--cold-no-warm-up") ? ["--Observability:WarmUpOnStart=false"] : [];
        var portalDirectory = Flag(args, "--portal-dir", DefaultPortalDirectory());
        if (!File.Exists(Path.Combine(portalDirectory, "Portal.dll")))
        {
            Console.Error.WriteLine($"No Portal.dll in {portalDirectory}: build it first (dotnet build -c Release src/Portal) or pass --portal-dir.");
            return 2;
        }

        ThreadPool.SetMinThreads(256, 256);
        var dataDirectory = Directory.CreateTempSubdirectory("portal-bench-data").FullName;
        await using var upstream = await StreamingUpstream.StartAsync(TimeSpan.FromMilliseconds(5));
        await using var bare = await ChildProxy.StartAsync("bare", upstream.BaseUri);
        await using var nginx = await NginxProxy.StartIfInstalledAsync(upstream.BaseUri);
        string[] allow = [$"--Outbound:Allow:0={upstream.BaseUri.Authority}"];
        string[] pageLog = args.Contains("--page-log")
            ? ["--Logging:LogLevel:Portal.Components.Pages.Observability=Debug", "--Logging:LogLevel:Portal.Observability.TtftService=Debug"]
            : [];
        await using var full = await PortalProcess.StartAsync(portalDirectory, dataDirectory, "All", [.. allow, .. pageLog]);
        var scenarios = rates.Select(r => r.ToString(CultureInfo.InvariantCulture)).Append("closed").Append(ColdStart.Scenario).ToArray();
        var setup = await PortalSetup.CreateAsync(full.BaseUri, upstream.BaseUri, scenarios);
        await using var gatewayOnly = await PortalProcess.StartAsync(portalDirectory, dataDirectory, "Gateway", allow);
        await setup.WaitUntilServedAsync(gatewayOnly.BaseUri);

        var targets = new List<Target>
        {
            new("direct", upstream.BaseUri, null, null),
            new("bare YARP", bare.BaseUri, null, () => bare.Cpu),
        };
        if (nginx is not null)
        {
            targets.Add(new("nginx", nginx.BaseUri, null, () => nginx.Cpu));
        }

        targets.Add(new("portal (full role)", full.BaseUri, full, () => full.Cpu));
        targets.Add(new("portal (gateway-only role)", gatewayOnly.BaseUri, gatewayOnly, () => gatewayOnly.Cpu));

        if (Flag(args, "--profile", "") is { Length: > 0 } profiled)
        {
            // Load one target for a while and say which process to attach dotnet-trace / dotnet-counters / dotnet-stack to.
            var target = targets.First(t => t.Name.Contains(profiled, StringComparison.OrdinalIgnoreCase));
            var key = target.Portal is { } p ? setup.Key(p.Role, scenarios[0]) : null;
            if (args.Contains("--closed"))
            {
                using var closedLoad = new StreamingLoad(new Uri(target.Root, "v1/"), key?.Secret, target.Portal is null ? FastModel : PortalSetup.FastEndpoint);
                Console.WriteLine($"PROFILE {target.Name} pid {target.Portal?.ProcessId} closed loop ({concurrency}) for {seconds} s");
                var cpuStart = target.Cpu?.Invoke();
                var closedResult = await closedLoad.ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(seconds));
                Console.WriteLine($"{closedResult.PerSecond:0} req/s, {closedResult.Failed} failed, CPU {(target.Cpu?.Invoke() - cpuStart)?.TotalMicroseconds / closedResult.Completed:0} µs/request");
                return 0;
            }

            using var load = new StreamingLoad(new Uri(target.Root, "v1/"), key?.Secret, target.Portal is null ? PacedModel : PortalSetup.PacedEndpoint);
            await load.OpenLoopAsync(rates[0], (int)(rates[0] * warmup));
            Console.WriteLine($"PROFILE {target.Name} pid {target.Portal?.ProcessId} at {rates[0]}/s for {seconds} s");
            var results = await load.OpenLoopAsync(rates[0], (int)(rates[0] * seconds));
            Console.WriteLine($"failures {results.Count(r => !r.Ok)} ({string.Join(", ", results.Where(r => !r.Ok).GroupBy(r => r.Failure).Select(g => $"{g.Key} × {g.Count()}"))}), p50 {StreamingLoad.Percentile(results.Where(r => r.Ok).Select(r => r.FromScheduleMs), 0.5):0.00} ms, p99 {StreamingLoad.Percentile(results.Where(r => r.Ok).Select(r => r.FromScheduleMs), 0.99):0.00} ms");
            return 0;
        }

        var sent = new Dictionary<Guid, int>();
        var open = new List<OpenRun>();
        PageLoads? pages = null;
        foreach (var rate in rates)
        {
            // The full portal at the highest rate twice: alone, then rendering the Observability page on the same cores.
            var runs = targets.SelectMany(t => t.Portal == full && rate == rates.Max()
                ? new[] { (Target: t, Name: t.Name, Pages: false), (Target: t, Name: t.Name + ", page loads", Pages: true) }
                : [(Target: t, Name: t.Name, Pages: false)]);
            foreach (var (target, name, withPages) in runs)
            {
                var scenario = rate.ToString(CultureInfo.InvariantCulture);
                var key = target.Portal is { } p ? setup.Key(p.Role, scenario) : null;
                using var load = new StreamingLoad(new Uri(target.Root, "v1/"), key?.Secret, target.Portal is null ? PacedModel : PortalSetup.PacedEndpoint);
                await load.OpenLoopAsync(rate, (int)(rate * warmup));
                var loadBefore = LoadAverage();
                var cpuBefore = target.Cpu?.Invoke();
                var watch = System.Diagnostics.Stopwatch.StartNew();
                var pageProbe = withPages ? PageLoads.StartAsync(full.BaseUri) : null;
                var results = await load.OpenLoopAsync(rate, (int)(rate * seconds));
                var elapsed = watch.Elapsed.TotalSeconds;
                var cpu = target.Cpu is { } read ? read() - cpuBefore!.Value : (TimeSpan?)null;
                if (pageProbe is not null)
                {
                    pages = await pageProbe;
                }

                if (key is not null)
                {
                    sent[key.Id] = sent.GetValueOrDefault(key.Id) + (int)(rate * warmup) + results.Length;
                }

                open.Add(new OpenRun(rate, name, results, elapsed, cpu, loadBefore, LoadAverage()));
                Console.Error.WriteLine($"{rate}/s {name}: done");
            }
        }

        var quietPages = await QuietPageCostAsync(full);

        var closed = new List<ClosedRun>();
        foreach (var target in closedSeconds > 0 ? targets : [])
        {
            var key = target.Portal is { } p ? setup.Key(p.Role, "closed") : null;
            using var load = new StreamingLoad(new Uri(target.Root, "v1/"), key?.Secret, target.Portal is null ? FastModel : PortalSetup.FastEndpoint);
            await load.ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(2));
            var cpuBefore = target.Cpu?.Invoke();
            var result = await load.ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(closedSeconds));
            var cpu = target.Cpu is { } read ? read() - cpuBefore!.Value : (TimeSpan?)null;
            closed.Add(new ClosedRun(target.Name, result, cpu, LoadAverage()));
            Console.Error.WriteLine($"closed loop {target.Name}: done");
        }

        await gatewayOnly.StopAsync();
        await full.StopAsync();
        var cold = new List<ColdStart>();
        foreach (var role in coldSeconds > 0 ? new[] { "Gateway", "All" } : [])
        {
            var run = await ColdStart.RunAsync(portalDirectory, dataDirectory, role, [.. allow, .. pageLog, .. coldArguments], setup, rates.Max(), coldSeconds, args.Contains("--cold-page"));
            sent[run.KeyId] = run.Results.Length;
            cold.Add(run);
        }

        var stored = await StoredSamplesAsync(dataDirectory);

        Print(open, closed, setup, sent, stored, pages, quietPages, concurrency);
        foreach (var run in cold)
        {
            var warm = open.First(r => r.Rate == run.Rate && r.Target == (run.Role == "All" ? "portal (full role)" : "portal (gateway-only role)"));
            var text = new StringBuilder();
            run.AppendTo(text, warm.P50, warm.P99);
            Console.WriteLine(text);
        }

        if (pageLog.Length > 0)
        {
            Console.WriteLine("The full portal's page timings (Debug log), in order:");
            Console.WriteLine();
            foreach (var line in full.PageCostLines)
            {
                Console.WriteLine($"    {line}");
            }
        }

        Directory.Delete(dataDirectory, recursive: true);
        return open.Any(r => r.Failures > 0) ? 1 : 0;
    }

    /// <summary>
    /// The page loads again on the full portal with no traffic, 20 of the loaded endpoint's page and 20 of a model with no
    /// endpoint (the layout, the filters and a warning: the page's frame): the portal's CPU over each pass less its CPU
    /// over as long a quiet spell (Hangfire's polling, the probes), per load. The difference is what the figures cost.
    /// </summary>
    private static async Task<QuietPages> QuietPageCostAsync(PortalProcess full)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        var idleBefore = full.Cpu;
        var idle = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idlePerSecond = (full.Cpu - idleBefore) / idle.Elapsed.TotalSeconds;
        TimeSpan PerLoad(PageLoads pages) => (pages.Cpu!.Value - idlePerSecond * pages.Elapsed.TotalSeconds) / Math.Max(pages.Durations.Count, 1);
        var frame = await PageLoads.StartAsync(full.BaseUri, () => full.Cpu, count: 20, model: "no-such-model");
        var figures = await PageLoads.StartAsync(full.BaseUri, () => full.Cpu, count: 20);
        Console.Error.WriteLine("quiet page loads: done");
        return new QuietPages(figures, PerLoad(figures), PerLoad(frame), idlePerSecond);
    }

    private sealed record QuietPages(PageLoads Pages, TimeSpan PerLoad, TimeSpan FramePerLoad, TimeSpan IdlePerSecond);

    private static void Print(List<OpenRun> open, List<ClosedRun> closed, PortalSetup setup, Dictionary<Guid, int> sent,
        Dictionary<Guid, int> stored, PageLoads? pages, QuietPages quiet, int concurrency)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Shipped gateway benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores; streaming chat, 16 content chunks 5 ms apart from a minimal upstream.");
        text.AppendLine();
        text.AppendLine("| rate (req/s) | target | requests | failures | TTFB p50 (ms) | TTFB p99 (ms) | added p50 (ms) | added p99 (ms) | CPU / request (µs) | added p50 ÷ bare YARP | CPU ÷ bare YARP | load avg (before → after) |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var run in open)
        {
            var direct = open.First(r => r.Rate == run.Rate && r.Target == "direct");
            var yarp = open.First(r => r.Rate == run.Rate && r.Target == "bare YARP");
            var isDirect = run.Target == "direct";
            var added50 = run.P50 - direct.P50;
            var added99 = run.P99 - direct.P99;
            var ratio = isDirect || run.Target == "bare YARP" ? "–" : F(added50 / (yarp.P50 - direct.P50), "0.00") + "×";
            var cpuRatio = run.CpuPerRequestUs is { } c && yarp.CpuPerRequestUs is { } y && run.Target != "bare YARP" ? F(c / y, "0.00") + "×" : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Rate} | {run.Target} | {run.Results.Length} | {run.Failures} | {F(run.P50, "0.00")} | {F(run.P99, "0.00")} | {(isDirect ? "–" : F(added50, "0.00"))} | {(isDirect ? "–" : F(added99, "0.00"))} | {(run.CpuPerRequestUs is { } us ? F(us, "0") : "–")} | {ratio} | {cpuRatio} | {F(run.LoadBefore, "0.0")} → {F(run.LoadAfter, "0.0")} |");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Closed loop, concurrency {concurrency}, 16 chunks with no gap:");
        text.AppendLine();
        text.AppendLine("| target | completed | failed | req/s | ÷ bare YARP | CPU / request (µs) | load avg after |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        var bareRate = closed.FirstOrDefault(r => r.Target == "bare YARP")?.Result.PerSecond ?? double.NaN;
        foreach (var run in closed)
        {
            var cpu = run.Cpu is { } c ? F(c.TotalMicroseconds / Math.Max(1, run.Result.Completed + run.Result.Failed), "0") : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Target} | {run.Result.Completed} | {run.Result.Failed} | {F(run.Result.PerSecond, "0")} | {F(100 * run.Result.PerSecond / bareRate, "0")} % | {cpu} | {F(run.LoadAfter, "0.0")} |");
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
                $"Observability page ({pages.Kind}, signed in, until its percentiles show) while the full portal took the highest rate: {pages.Durations.Count} loads, p50 {F(StreamingLoad.Percentile(pages.Durations, 0.5), "0")} ms, max {F(pages.Durations.DefaultIfEmpty(double.NaN).Max(), "0")} ms, {pages.Failures} failed; in order: {string.Join(", ", pages.Durations.Select(d => F(d, "0")))} ms.");
            if (pages.Phases.Count > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"Each load from navigation (ms): HTML first byte / document loaded / circuit interactive / figures shown: {string.Join("; ", pages.Phases.Select(p => $"{F(p.Html, "0")} / {F(p.Loaded, "0")} / {F(p.Interactive, "0")} / {F(p.Figures, "0")}"))}.");
            }
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Observability page on the quiet full portal afterwards ({quiet.Pages.Kind}): {quiet.Pages.Durations.Count} loads, p50 {F(StreamingLoad.Percentile(quiet.Pages.Durations, 0.5), "0")} ms, {quiet.Pages.Failures} failed; the portal's CPU per load {F(quiet.PerLoad.TotalMilliseconds, "0.0")} ms, of which the page's frame (a model with no endpoint: layout, filters, a warning) {F(quiet.FramePerLoad.TotalMilliseconds, "0.0")} ms (idle CPU, {F(quiet.IdlePerSecond.TotalMilliseconds, "0.0")} ms a second, taken off); load average {F(LoadAverage(), "0.0")}.");

        Console.WriteLine(text);
    }

    private static async Task<Dictionary<Guid, int>> StoredSamplesAsync(string dataDirectory)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT KeyId, COUNT(*) FROM RequestSamples GROUP BY KeyId";
        var counts = new Dictionary<Guid, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            counts[Guid.Parse(reader.GetString(0))] = reader.GetInt32(1);
        }

        return counts;
    }

    internal static string DefaultPortalDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return Path.Combine(directory.FullName, "src", "Portal", "bin", "Release", "net10.0");
            }
        }

        return ".";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private sealed record Target(string Name, Uri Root, PortalProcess? Portal, Func<TimeSpan>? Cpu);

    private sealed record OpenRun(int Rate, string Target, StreamResult[] Results, double Seconds, TimeSpan? Cpu, double LoadBefore, double LoadAfter)
    {
        public int Failures => Results.Count(r => !r.Ok);

        public double P50 => StreamingLoad.Percentile(Results.Where(r => r.Ok).Select(r => r.FromScheduleMs), 0.50);

        public double P99 => StreamingLoad.Percentile(Results.Where(r => r.Ok).Select(r => r.FromScheduleMs), 0.99);

        public double? CpuPerRequestUs => Cpu is { } c ? c.TotalMicroseconds / Results.Length : null;
    }

    private sealed record ClosedRun(string Target, ClosedLoopResult Result, TimeSpan? Cpu, double LoadAfter);
}
