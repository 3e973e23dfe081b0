using System.Text;
using System.Text.Json;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

/// <summary>Starting simulators on free loopback ports and talking to them over real HTTP.</summary>
internal static class Simulator
{
    public const string Model = "test-model";

    /// <summary>Instant by default: no weight load, no prefill, no token gaps, no jitter.</summary>
    public static SimulatorOptions Instant => SimulatorProfiles.Instant(Model, timeScale: 0.001);

    public static Task<SimulatorServer> StartAsync(SimulatorOptions options) => SimulatorServer.StartAsync(options);

    public static HttpClient Client(SimulatorServer server) => new() { BaseAddress = server.BaseUri };

    public static string ChatBody(int maxTokens = 5, bool stream = false, string model = Model, bool includeUsage = false) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = model,
            ["messages"] = new[] { new { role = "user", content = "Say something about dedicated endpoints." } },
            ["max_tokens"] = maxTokens,
            ["stream"] = stream,
            ["stream_options"] = new { include_usage = includeUsage },
        });

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostChatAsync(HttpClient client, string body, bool headersOnly = false) =>
        client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = Json(body) },
            headersOnly ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead);

    public static bool IsColdStart(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-simulator-cold-start", out var values) && values.Single() == "true";

    /// <summary>Asserts OpenAI's error shape and returns the error object.</summary>
    public static async Task<JsonElement> AssertOpenAiErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("message").ValueKind);
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
        return error.Clone();
    }

    /// <summary>Reads an SSE stream, returning the arrival time of every data event after the request was sent.</summary>
    public static async Task<List<(TimeSpan At, string Data)>> ReadEventsAsync(HttpResponseMessage response, DateTime sentAt)
    {
        var events = new List<(TimeSpan, string)>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add((DateTime.UtcNow - sentAt, line[6..]));
            }
        }

        return events;
    }
}
