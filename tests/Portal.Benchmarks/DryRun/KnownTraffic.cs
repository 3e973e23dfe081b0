using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Portal.Benchmarks.DryRun;

/// <summary>One request of the known traffic: when it is sent (from the start), what it asks for.</summary>
internal sealed record KnownRequest(TimeSpan Offset, bool Chat, int PromptWords, int MaxTokens, bool Stream);

/// <summary>
/// Traffic whose outcome the benchmark records for real before replaying it: open-loop Poisson arrivals at a base rate,
/// three times that rate through the middle fifth of the window (so the engine's running batch fills and requests
/// queue), prompts of log-normal length (median 300 words), 32–384 completion tokens, 90 % chat, 70 % streamed.
/// Seeded, so every run sends the same traffic.
/// </summary>
internal static class KnownTraffic
{
    private static readonly string[] _words =
    [
        "please", "summarise", "the", "ticket", "below", "and", "list", "each", "customer", "request", "with", "its", "order",
        "number", "delivery", "date", "refund", "status", "shipping", "address", "invoice", "line", "item", "price", "total",
    ];

    public static IReadOnlyList<KnownRequest> Plan(double ratePerSecond, TimeSpan duration, int seed = 7)
    {
        var random = new Random(seed);
        var requests = new List<KnownRequest>();
        var at = 0.0;
        var (burstFrom, burstTo) = (duration.TotalSeconds * 0.4, duration.TotalSeconds * 0.6);
        while (true)
        {
            var rate = at >= burstFrom && at < burstTo ? ratePerSecond * 3 : ratePerSecond;
            at += -Math.Log(1 - random.NextDouble()) / rate;
            if (at >= duration.TotalSeconds)
            {
                return requests;
            }

            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var words = (int)Math.Clamp(Math.Round(Math.Exp(Math.Log(300) + 0.8 * normal)), 16, 4_000);
            requests.Add(new KnownRequest(TimeSpan.FromSeconds(at), random.NextDouble() < 0.9, words, random.Next(32, 385), random.NextDouble() < 0.7));
        }
    }

    /// <summary>Sends every request at its offset, whether or not earlier ones were answered; answers the failures.</summary>
    public static async Task<int> SendAsync(Uri gateway, string key, string model, IReadOnlyList<KnownRequest> plan, Action<int> sent)
    {
        using var client = new HttpClient { BaseAddress = new Uri(gateway, "v1/"), Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var failures = 0;
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            var wait = plan[i].Offset - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var request = plan[i];
            inFlight.Add(Task.Run(async () =>
            {
                if (!await SendOneAsync(client, model, request))
                {
                    Interlocked.Increment(ref failures);
                }
            }));
            sent(i + 1);
        }

        await Task.WhenAll(inFlight);
        return failures;
    }

    private static async Task<bool> SendOneAsync(HttpClient client, string model, KnownRequest request)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Chat ? "chat/completions" : "completions")
        {
            Content = new ByteArrayContent(Body(model, request)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static byte[] Body(string model, KnownRequest request)
    {
        var prompt = new StringBuilder(request.PromptWords * 8);
        for (var i = 0; i < request.PromptWords; i++)
        {
            prompt.Append(i == 0 ? "" : " ").Append(_words[i % _words.Length]);
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            if (request.Chat)
            {
                json.WriteStartArray("messages");
                json.WriteStartObject();
                json.WriteString("role", "user");
                json.WriteString("content", prompt.ToString());
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("prompt", prompt.ToString());
            }

            json.WriteNumber("max_tokens", request.MaxTokens);
            json.WriteBoolean("ignore_eos", true);
            json.WriteBoolean("stream", request.Stream);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
