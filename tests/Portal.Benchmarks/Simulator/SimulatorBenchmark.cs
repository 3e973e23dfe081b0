using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Portal.Simulator;
using Portal.Simulator.Configuration;

namespace Portal.Benchmarks.Simulator;

/// <summary>
/// One in-process simulator serving many concurrent streaming chat completions at zero inter-token latency.
/// Flags: --concurrency (2000), --requests (10000), --max-tokens (64). Prints a markdown table.
/// </summary>
internal static class SimulatorBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var concurrency = Flag(args, "--concurrency", 2000);
        var total = Flag(args, "--requests", 10_000);
        var maxTokens = Flag(args, "--max-tokens", 64);
        ThreadPool.SetMinThreads(512, 512);

        await using var server = await SimulatorServer.StartAsync(SimulatorProfiles.Instant("bench") with
        {
            MaxNumSeqs = concurrency,
            MaxWaitingRequests = concurrency,
        });
        using var client = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = server.BaseUri,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var body = $$"""{"model":"bench","messages":[{"role":"user","content":"Benchmark the simulator."}],"max_tokens":{{maxTokens}},"stream":true}""";

        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, 200)).Select(_ => SendAsync(client, body, maxTokens)));

        var ttfts = new double[total];
        var errors = 0;
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                var ttft = await SendAsync(client, body, maxTokens);
                if (ttft is null)
                {
                    Interlocked.Increment(ref errors);
                }

                ttfts[i] = ttft ?? double.NaN;
            }
        }));
        watch.Stop();

        var measured = ttfts.Where(double.IsFinite).Order().ToArray();
        string Percentile(double p) => measured.Length == 0
            ? "-"
            : (measured[(int)Math.Min(measured.Length - 1, Math.Ceiling(p * measured.Length) - 1)] * 1000).ToString("0.0", CultureInfo.InvariantCulture);

        Console.WriteLine($"Simulator, {concurrency} concurrent streams, {maxTokens} tokens each, zero inter-token latency, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| requests | concurrency | errors | req/s | tokens/s | p50 TTFT (ms) | p99 TTFT (ms) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {total} | {concurrency} | {errors} | {total / seconds:0} | {(total - errors) * maxTokens / seconds:0} | {Percentile(0.50)} | {Percentile(0.99)} |"));
        return errors == 0 ? 0 : 1;
    }

    /// <summary>Time to the first content chunk in seconds, or null when the stream failed or was incomplete.</summary>
    private static async Task<double?> SendAsync(HttpClient client, string body, int maxTokens)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return null;
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            double? ttft = null;
            var tokens = 0;
            var done = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
                {
                    ttft ??= Stopwatch.GetElapsedTime(start).TotalSeconds;
                    tokens++;
                }
                else if (line == "data: [DONE]")
                {
                    done = true;
                }
            }

            return done && tokens == maxTokens ? ttft : null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return null;
        }
    }

    private static int Flag(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
