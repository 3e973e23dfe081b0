using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portal.Core.DryRun;
using Portal.Core.Gateway;

namespace Portal.Migration.DryRun;

/// <summary>
/// Sends a schedule through the gateway open-loop: each request leaves at its own offset whether or not earlier ones
/// have been answered, as real callers do. The prompt is filler the simulator counts as exactly the recorded prompt
/// tokens, and <c>max_tokens</c> asks for exactly the recorded completion tokens (the simulator generates up to it).
/// </summary>
internal static class DryRunReplayer
{
    /// <summary>Chat template tokens the simulator adds to one user message: 4 for the message, 3 priming the reply.</summary>
    public const int ChatOverheadTokens = 7;

    /// <summary>The beginning-of-sequence token the simulator counts in front of a text prompt.</summary>
    public const int TextOverheadTokens = 1;

    /// <param name="origin">The replay's start (<see cref="Stopwatch.GetTimestamp"/>): every offset counts from it.</param>
    public static async Task RunAsync(
        HttpClient client, Uri gateway, DryRunLane lane, ReplaySchedule schedule, long origin, Action<int> sent, CancellationToken cancellationToken)
    {
        var inFlight = new List<Task>(schedule.Requests.Count);
        foreach (var request in schedule.Requests)
        {
            var wait = request.Offset - Stopwatch.GetElapsedTime(origin);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            inFlight.Add(SendAsync(client, gateway, lane, request.Recorded, cancellationToken));
            sent(request.Index + 1);
        }

        await Task.WhenAll(inFlight);
    }

    private static async Task SendAsync(HttpClient client, Uri gateway, DryRunLane lane, RecordedRequest recorded, CancellationToken cancellationToken)
    {
        var chat = recorded.Operation == GatewayOperation.Chat;
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, chat ? "v1/chat/completions" : "v1/completions"))
        {
            Content = new ByteArrayContent(Body(lane.Model, recorded)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", lane.Key);
        try
        {
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await body.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (HttpRequestException)
        {
            // The gateway measured and recorded the failure; the replay goes on.
        }
    }

    /// <summary>The request body for one recorded request.</summary>
    public static byte[] Body(string model, RecordedRequest recorded)
    {
        var chat = recorded.Operation == GatewayOperation.Chat;
        var words = Math.Max(0, recorded.PromptTokens - (chat ? ChatOverheadTokens : TextOverheadTokens));
        var prompt = new StringBuilder(words * 2).Insert(0, "a ", words).ToString();
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            if (chat)
            {
                json.WriteStartArray("messages");
                json.WriteStartObject();
                json.WriteString("role", "user");
                json.WriteString("content", prompt);
                json.WriteEndObject();
                json.WriteEndArray();
            }
            else
            {
                json.WriteString("prompt", prompt);
            }

            json.WriteNumber("max_tokens", ReplayRequests.MaxTokens(recorded));
            json.WriteBoolean("ignore_eos", true);
            json.WriteBoolean("stream", recorded.Streamed);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
