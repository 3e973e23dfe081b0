using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Portal.Tests.Support.Load;

/// <summary>One streamed request as the load generator saw it.</summary>
/// <param name="Ok">200, every expected content chunk and <c>[DONE]</c> arrived.</param>
/// <param name="FromScheduleMs">Scheduled start → first content chunk (open loop: includes any lateness of the client).</param>
/// <param name="FromSendMs">The moment the request was handed to the HTTP client → first content chunk.</param>
/// <param name="Failure">Why it is not <paramref name="Ok"/>: the status code, "incomplete" or the exception's type.</param>
public readonly record struct StreamResult(bool Ok, double FromScheduleMs, double FromSendMs, string? Failure = null);

/// <summary>Closed-loop figures: every worker sends its next request as soon as the previous one ended.</summary>
public readonly record struct ClosedLoopResult(int Completed, int Failed, double Seconds)
{
    public double PerSecond => Completed / Seconds;
}

/// <summary>
/// Streaming chat requests against an OpenAI-compatible <c>/v1</c>, open loop (requests start on schedule whether or not
/// earlier ones finished, so a slow server cannot slow the offered load down) or closed loop. It reads every SSE line
/// and times the first one carrying content, the way a client's time to first token is defined.
/// </summary>
public sealed class StreamingLoad : IDisposable
{
    private readonly HttpClient _client;
    private readonly byte[] _body;
    private readonly int _chunks;

    /// <param name="v1">The API root, ending in <c>v1/</c>.</param>
    public StreamingLoad(Uri v1, string? key, string model, int chunks = StreamingUpstream.DefaultChunks)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = v1,
            Timeout = TimeSpan.FromMinutes(2),
        };
        if (key is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        _chunks = chunks;
        _body = Encoding.UTF8.GetBytes(
            $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Load the gateway."}],"max_tokens":{{chunks}},"stream":true}""");
    }

    /// <summary>Starts <paramref name="count"/> requests at <paramref name="rate"/> per second and waits for all of them.</summary>
    public async Task<StreamResult[]> OpenLoopAsync(int rate, int count)
    {
        var results = new StreamResult[count];
        var tasks = new Task[count];
        var interval = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var next = 0;
        while (next < count)
        {
            var now = Stopwatch.GetTimestamp();
            while (next < count && start + (long)(next * interval) <= now)
            {
                var index = next++;
                var due = start + (long)(index * interval);
                tasks[index] = Task.Run(async () => results[index] = await SendAsync(due));
            }

            await Task.Delay(1);
        }

        await Task.WhenAll(tasks);
        return results;
    }

    /// <summary><paramref name="concurrency"/> workers, each sending back to back, for <paramref name="duration"/>.</summary>
    public async Task<ClosedLoopResult> ClosedLoopAsync(int concurrency, TimeSpan duration)
    {
        var completed = 0;
        var failed = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (watch.Elapsed < duration)
            {
                var result = await SendAsync(Stopwatch.GetTimestamp());
                Interlocked.Increment(ref result.Ok ? ref completed : ref failed);
            }
        }));
        await Task.WhenAll(workers);
        return new ClosedLoopResult(completed, failed, watch.Elapsed.TotalSeconds);
    }

    private async Task<StreamResult> SendAsync(long due)
    {
        var sent = Stopwatch.GetTimestamp();
        var first = 0L;
        try
        {
            using var content = new ByteArrayContent(_body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = content };
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return new StreamResult(false, 0, 0, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var chunks = 0;
            var done = false;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal))
                {
                    if (chunks++ == 0)
                    {
                        first = Stopwatch.GetTimestamp();
                    }
                }
                else if (line == "data: [DONE]")
                {
                    done = true;
                }
            }

            return done && chunks == _chunks
                ? new StreamResult(true, Stopwatch.GetElapsedTime(due, first).TotalMilliseconds, Stopwatch.GetElapsedTime(sent, first).TotalMilliseconds)
                : new StreamResult(false, 0, 0, "incomplete");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return new StreamResult(false, 0, 0, e.GetType().Name);
        }
    }

    /// <summary>The <paramref name="p"/>-quantile (0–1) by the nearest-rank method; NaN when there are no values.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public void Dispose() => _client.Dispose();
}
