using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Portal.Simulator;
using Portal.Simulator.Configuration;

namespace Portal.Gateway.Tests.Support;

/// <summary>Simulator presets and small HTTP helpers for talking OpenAI to the gateway.</summary>
internal static class Simulators
{
    public const string Model = "test-model";

    public const string Prompt = "Summarise the quarterly residency report for the auditors.";

    /// <summary>No weight load, no prefill, no token gaps, no jitter.</summary>
    public static SimulatorOptions Instant => SimulatorProfiles.Instant(Model);

    public static Task<SimulatorServer> StartAsync(SimulatorOptions? options = null) => SimulatorServer.StartAsync(options ?? Instant);

    /// <summary>A loopback URL on which nothing listens (the port was free a moment ago).</summary>
    public static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    public static string ChatBody(string model, int maxTokens = 5, bool stream = false, bool? includeUsage = null, string prompt = Prompt)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = prompt } },
            ["max_tokens"] = maxTokens,
            ["stream"] = stream,
        };
        if (includeUsage is { } usage)
        {
            body["stream_options"] = new { include_usage = usage };
        }

        return JsonSerializer.Serialize(body);
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, bool headersOnly = false) =>
        client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) },
            headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);

    public static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string body, bool headersOnly = false) =>
        PostAsync(client, "chat/completions", body, headersOnly);

    /// <summary>The <c>data:</c> payloads of an SSE response, in order.</summary>
    public static async Task<List<string>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line[6..]);
            }
        }

        return events;
    }

    /// <summary>Asserts OpenAI's error shape and returns the error object.</summary>
    public static async Task<JsonElement> AssertOpenAiErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out var actualCode));
        if (code is not null)
        {
            Assert.Equal(code, actualCode.GetString());
        }

        return error.Clone();
    }

    /// <summary>Requests that reached their first token on this simulator, from its Prometheus metrics.</summary>
    public static async Task<long> ServedCountAsync(SimulatorServer simulator)
    {
        using var client = new HttpClient { BaseAddress = simulator.BaseUri };
        var text = await client.GetStringAsync("metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("vllm:time_to_first_token_seconds_count", StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
