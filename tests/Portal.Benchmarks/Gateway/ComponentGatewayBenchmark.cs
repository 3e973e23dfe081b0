using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using static Portal.Benchmarks.BenchmarkArgs;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// A component benchmark of the gateway library, not of what ships: the library in a slim host with a fixed directory
/// and a counting sink, against a simulator directly and through a bare YARP forwarder, at fixed open-loop arrival rates.
/// What a customer runs is measured by <see cref="ShippedGatewayBenchmark"/> (<c>gateway</c>).
/// Each proxy runs as its own child process, so its CPU time (Process.TotalProcessorTime) is attributable.
/// Flags: --rates (200,1000), --seconds (12), --warmup-seconds (3), --tokens (16), --itl-ms (4), --prefill-ms (10).
/// Prints a markdown table.
/// </summary>
internal static class ComponentGatewayBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rates = Flag(args, "--rates", "200,1000").Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray();
        var seconds = double.Parse(Flag(args, "--seconds", "12"), CultureInfo.InvariantCulture);
        var warmup = double.Parse(Flag(args, "--warmup-seconds", "3"), CultureInfo.InvariantCulture);
        var tokens = int.Parse(Flag(args, "--tokens", "16"), CultureInfo.InvariantCulture);
        var itl = double.Parse(Flag(args, "--itl-ms", "4"), CultureInfo.InvariantCulture);
        var prefill = double.Parse(Flag(args, "--prefill-ms", "10"), CultureInfo.InvariantCulture);
        ThreadPool.SetMinThreads(256, 256);

        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            ServedModelName = "bench",
            WeightLoadSeconds = 0,
            PrefillOverheadMs = prefill,
            PrefillMsPerToken = 0,
            TtftJitter = 0,
            InterTokenLatencyMs = itl,
            InterTokenLatencyJitter = 0,
            SlowdownPerRunningSeq = 0,
            MaxNumSeqs = 100_000,
            MaxWaitingRequests = 100_000,
        });
        await using var bare = await ChildProxy.StartAsync("bare", simulator.BaseUri);
        await using var portal = await ChildProxy.StartAsync("portal", simulator.BaseUri);

        var results = new List<RunResult>();
        foreach (var rate in rates)
        {
            results.Add(await LoadRun.RunAsync("direct", simulator.BaseUri, null, "bench", null, rate, seconds, warmup, tokens));
            results.Add(await LoadRun.RunAsync("bare YARP", bare.BaseUri, null, "bench", bare, rate, seconds, warmup, tokens));
            results.Add(await LoadRun.RunAsync("gateway", portal.BaseUri, portal.Key, ProxyServer.Model, portal, rate, seconds, warmup, tokens));
        }

        Print(results, tokens, itl, prefill, seconds);
        return results.Any(r => r.Errors > 0) ? 1 : 0;
    }

    private static void Print(List<RunResult> results, int tokens, double itl, double prefill, double seconds)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"Component benchmark (gateway library in a slim host, not the shipped process). Streaming chat, {tokens} content chunks {itl} ms apart, simulator prefill {prefill} ms, {seconds} s per run, {Environment.ProcessorCount} cores");
        text.AppendLine();
        text.AppendLine("| rate (req/s) | path | requests | errors | achieved req/s | TTFT p50 (ms) | TTFT p99 (ms) | added p50 (ms) | added p99 (ms) | proxy CPU / request (µs) |");
        text.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var run in results)
        {
            var direct = results.First(r => r.Rate == run.Rate && r.Path == "direct");
            var added = run.Path == "direct" ? "–" : F(run.P50 - direct.P50, "0.00");
            var addedTail = run.Path == "direct" ? "–" : F(run.P99 - direct.P99, "0.00");
            var cpu = run.CpuPerRequestUs is { } us ? F(us, "0") : "–";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {run.Rate} | {run.Path} | {run.Requests} | {run.Errors} | {F(run.Achieved, "0")} | {F(run.P50, "0.00")} | {F(run.P99, "0.00")} | {added} | {addedTail} | {cpu} |");
        }

        Console.WriteLine(text);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}

internal sealed record RunResult(int Rate, string Path, int Requests, int Errors, double Achieved, double P50, double P99, double? CpuPerRequestUs);

/// <summary>A proxy child process: <c>Portal.Benchmarks proxy &lt;kind&gt; &lt;upstream&gt;</c>.</summary>
internal sealed class ChildProxy : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProxy(Process process, Uri baseUri, string key)
    {
        _process = process;
        BaseUri = baseUri;
        Key = key;
    }

    public Uri BaseUri { get; }

    public string Key { get; }

    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ChildProxy> StartAsync(string kind, Uri upstream)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildProxy).Assembly.Location);
        }

        foreach (var argument in new[] { "proxy", kind, upstream.ToString() })
        {
            start.ArgumentList.Add(argument);
        }

        // Both proxies get the GC an ASP.NET Core app gets by default.
        start.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(start)!;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("READY ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                return new ChildProxy(process, new Uri(parts[1].TrimEnd('/') + "/"), parts[2]);
            }
        }

        throw new InvalidOperationException($"The {kind} proxy did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _process.Dispose();
    }
}

/// <summary>One open-loop run: requests start on schedule whether or not earlier ones have finished.</summary>
internal static class LoadRun
{
    public static async Task<RunResult> RunAsync(
        string path, Uri baseUri, string? key, string model, ChildProxy? proxy, int rate, double seconds, double warmupSeconds, int tokens)
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = new Uri(baseUri, "v1/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        var body = Encoding.UTF8.GetBytes(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Benchmark the gateway."}],"max_tokens":{{tokens}},"stream":true}""");

        await FireAsync(client, body, tokens, rate, warmupSeconds);
        var cpuBefore = proxy?.Cpu;
        var watch = Stopwatch.StartNew();
        var ttfts = await FireAsync(client, body, tokens, rate, seconds);
        var elapsed = watch.Elapsed.TotalSeconds;
        var cpu = proxy is null ? (TimeSpan?)null : proxy.Cpu - cpuBefore!.Value;

        var measured = ttfts.Where(double.IsFinite).Order().ToArray();
        double Percentile(double p) => measured.Length == 0 ? double.NaN : measured[Math.Clamp((int)Math.Ceiling(p * measured.Length) - 1, 0, measured.Length - 1)];
        return new RunResult(rate, path, ttfts.Length, ttfts.Length - measured.Length, ttfts.Length / seconds,
            Percentile(0.50), Percentile(0.99), cpu is { } c ? c.TotalMicroseconds / ttfts.Length : null);
    }

    /// <summary>Starts <c>rate × seconds</c> requests at their scheduled times; returns each TTFT (ms), NaN for a failure.</summary>
    private static async Task<double[]> FireAsync(HttpClient client, byte[] body, int tokens, int rate, double seconds)
    {
        var total = (int)(rate * seconds);
        var ttfts = new double[total];
        var tasks = new Task[total];
        var interval = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < total)
        {
            var now = Stopwatch.GetTimestamp();
            while (next < total && start + (long)(next * interval) <= now)
            {
                var index = next++;
                var due = start + (long)(index * interval);
                tasks[index] = Task.Run(async () => ttfts[index] = await SendAsync(client, body, tokens, due));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(tasks);
        return ttfts;
    }

    /// <summary>Milliseconds from the scheduled start to the first content chunk; NaN unless all chunks and [DONE] arrived.</summary>
    private static async Task<double> SendAsync(HttpClient client, byte[] body, int tokens, long due)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = content };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return double.NaN;
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var ttft = double.NaN;
            var chunks = 0;
            var done = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
                {
                    if (chunks++ == 0)
                    {
                        ttft = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
                    }
                }
                else if (line == "data: [DONE]")
                {
                    done = true;
                }
            }

            return done && chunks == tokens ? ttft : double.NaN;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return double.NaN;
        }
    }
}
