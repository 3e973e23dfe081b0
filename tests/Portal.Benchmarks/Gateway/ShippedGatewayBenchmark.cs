using System.Globalization;
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
/// Flags: --rates (200,1000), --seconds (10), --rounds (1: each rate's rows and the closed loop repeated in turn, and
/// the medians of their ratios to the bare forwarder's reported), --warmup-seconds (3), --closed-seconds (8; 0 skips the closed loop),
/// --concurrency (64), --cold-seconds (10: a fresh process of each role loaded at the highest rate with no warm-up; 0
/// skips it; --cold-page loads the Observability page of the fresh full-role process meanwhile, --cold-page-after (0) seconds
/// after it serves, --returning-browser in the browser profile that loaded the warm full portal's page, at that portal's
/// address, --cold-no-warm-up starts it
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
        var rounds = int.Parse(Flag(args, "--rounds", "1"), CultureInfo.InvariantCulture);
        string[] coldArguments = args.Contains("--cold-no-warm-up") ? ["--Observability:WarmUpOnStart=false"] : [];
        var pageAfter = TimeSpan.FromSeconds(double.Parse(Flag(args, "--cold-page-after", "0"), CultureInfo.InvariantCulture));
        // A returning person: the warm full portal's page loads and the fresh full-role process's share one browser profile
        // and one address, as a console reopened after a deploy in the browser that used it before.
        var browserProfile = args.Contains("--returning-browser") ? Directory.CreateTempSubdirectory("portal-bench-browser").FullName : null;
        var portalDirectory = Path.GetFullPath(Flag(args, "--portal-dir", DefaultPortalDirectory()));
        if (!File.Exists(Path.Combine(portalDirectory, "Portal.dll")))
        {
            Console.Error.WriteLine($"No Portal.dll in {portalDirectory}: build it first (dotnet build -c Release src/Portal) or pass --portal-dir.");
            return 2;
        }

        ThreadPool.SetMinThreads(256, 256);
        var dataDirectory = Directory.CreateTempSubdirectory("portal-bench-data").FullName;
        await using var upstream = await StreamingUpstream.StartAsync(TimeSpan.FromMilliseconds(5), PacedModel, FastModel);
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
            await SettleAsync(targets);
            for (var round = 1; round <= rounds; round++)
            {
                // Direct first (each round's added latency is over its own direct row), then the proxies, their order turned
                // by one each round so that none always follows the same neighbour. The full portal at the highest rate in the
                // first round twice: alone, then rendering the Observability page on the same cores.
                var proxies = targets.Skip(1).ToList();
                var turned = proxies.Skip((round - 1) % proxies.Count).Concat(proxies.Take((round - 1) % proxies.Count));
                var runs = turned.Prepend(targets[0]).SelectMany(t => t.Portal == full && rate == rates.Max() && round == 1
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
                    var othersBefore = OthersCpu(targets, target);
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    var pageProbe = withPages ? PageLoads.StartAsync(full.BaseUri, browserProfile: browserProfile) : null;
                    var results = await load.OpenLoopAsync(rate, (int)(rate * seconds));
                    var elapsed = watch.Elapsed.TotalSeconds;
                    var cpu = target.Cpu is { } read ? read() - cpuBefore!.Value : (TimeSpan?)null;
                    var othersCpu = OthersCpu(targets, target) - othersBefore;
                    if (pageProbe is not null)
                    {
                        pages = await pageProbe;
                    }

                    if (key is not null)
                    {
                        sent[key.Id] = sent.GetValueOrDefault(key.Id) + (int)(rate * warmup) + results.Length;
                    }

                    open.Add(new OpenRun(rate, name, results, elapsed, cpu, loadBefore, LoadAverage(), othersCpu, round));
                    Console.Error.WriteLine($"{rate}/s {name}{(rounds > 1 ? $", round {round}" : "")}: done");
                }
            }
        }

        var quietPages = await QuietPageCostAsync(full);

        var closed = new List<ClosedRun>();
        for (var round = 1; round <= (closedSeconds > 0 ? rounds : 0); round++)
        {
            await SettleAsync(targets);
            foreach (var target in targets)
            {
                var key = target.Portal is { } p ? setup.Key(p.Role, "closed") : null;
                using var load = new StreamingLoad(new Uri(target.Root, "v1/"), key?.Secret, target.Portal is null ? FastModel : PortalSetup.FastEndpoint);
                await load.ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(2));
                var cpuBefore = target.Cpu?.Invoke();
                var result = await load.ClosedLoopAsync(concurrency, TimeSpan.FromSeconds(closedSeconds));
                var cpu = target.Cpu is { } read ? read() - cpuBefore!.Value : (TimeSpan?)null;
                closed.Add(new ClosedRun(target.Name, result, cpu, LoadAverage(), round));
                Console.Error.WriteLine($"closed loop {target.Name}{(rounds > 1 ? $", round {round}" : "")}: done");
            }
        }

        await gatewayOnly.StopAsync();
        await full.StopAsync();
        var cold = new List<ColdStart>();
        foreach (var role in coldSeconds > 0 ? new[] { "Gateway", "All" } : [])
        {
            var run = await ColdStart.RunAsync(portalDirectory, dataDirectory, role, [.. allow, .. pageLog, .. coldArguments], setup, rates.Max(), coldSeconds,
                args.Contains("--cold-page"), pageAfter, browserProfile is not null && role == "All" ? full.BaseUri.Port : null, browserProfile);
            sent[run.KeyId] = run.Results.Length;
            cold.Add(run);
        }

        var stored = await StoredSamplesAsync(dataDirectory);

        GatewayReport.Print(open, closed, setup, sent, stored, pages, quietPages, concurrency, cold, rounds);

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
        if (browserProfile is not null)
        {
            Directory.Delete(browserProfile, recursive: true);
        }

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

    /// <summary>
    /// Waits (up to 30 s) until the measured processes together use under a tenth of a core, so that no row starts while a
    /// process is still finishing its start (the JIT, the jobs' first runs) or the row before's work.
    /// </summary>
    private static async Task SettleAsync(IReadOnlyList<Target> targets)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = CpuOf(targets);
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (CpuOf(targets) - before < TimeSpan.FromMilliseconds(100))
            {
                return;
            }
        }
    }

    private sealed record Target(string Name, Uri Root, PortalProcess? Portal, Func<TimeSpan>? Cpu);

    /// <summary>The CPU time so far of every measured process but <paramref name="loaded"/>'s: the proxies idle during its row.</summary>
    private static TimeSpan OthersCpu(IEnumerable<Target> targets, Target loaded) => CpuOf(targets.Where(t => t != loaded));

    /// <summary>The CPU time so far of the measured processes among <paramref name="targets"/> (direct has none).</summary>
    private static TimeSpan CpuOf(IEnumerable<Target> targets) =>
        targets.Where(t => t.Cpu is not null).Aggregate(TimeSpan.Zero, (sum, t) => sum + t.Cpu!());
}
