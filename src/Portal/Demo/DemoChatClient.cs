using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Demo;

/// <summary>The answer to one chat request of the demo: the assistant's text, or why there is none.</summary>
public sealed record DemoReply(string? Text, string? Error)
{
    public bool Answered => Error is null;
}

/// <summary>
/// An OpenAI client of the portal's own <c>/v1</c> with the demo's key, as a customer's program would be: it reads a
/// streamed answer chunk by chunk and a non-streamed one whole.
/// </summary>
public sealed class DemoChatClient : IDisposable
{
    private readonly HttpClient _http;

    public DemoChatClient(Uri gateway, string apiKey)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = new Uri(gateway, "v1/"),
            Timeout = TimeSpan.FromMinutes(2),
        };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public async Task<DemoReply> ChatAsync(string model, JsonArray messages, int maxTokens, bool stream, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = messages.DeepClone(),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0.7,
            ["stream"] = stream,
        };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "chat/completions") { Content = JsonContent.Create(body) };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new DemoReply(null, $"{model}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
            }

            var text = stream ? await ReadStreamAsync(response, ct) : ReadMessage(await response.Content.ReadAsStringAsync(ct));
            return new DemoReply(text, null);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or IOException
            || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            return new DemoReply(null, $"{model}: {e.Message}");
        }
    }

    private static async Task<string?> ReadStreamAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = new System.Text.StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]")
            {
                continue;
            }

            var chunk = JsonNode.Parse(line["data: ".Length..]);
            if (chunk?["error"] is { } error)
            {
                throw new HttpRequestException($"stream ended with an error: {error["message"]}");
            }

            text.Append(chunk?["choices"]?[0]?["delta"]?["content"]?.GetValue<string>());
        }

        return text.ToString();
    }

    private static string? ReadMessage(string json) => JsonNode.Parse(json)?["choices"]?[0]?["message"]?["content"]?.GetValue<string>();

    public void Dispose() => _http.Dispose();
}
