using System.Text;
using System.Text.Json;
using Portal.Core.Gateway;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// Builds the non-streamed OpenAI answer (<c>chat.completion</c> or <c>text_completion</c>) from the chunks of a stream,
/// the way the upstream would have answered without <c>stream</c>: identity from the first chunk, each choice's text,
/// tool calls, logprobs and finish reason joined in order, and the usage report. The text exists only in memory, for the
/// one response.
/// </summary>
internal sealed class CompletionAssembler(GatewayOperation operation)
{
    private readonly bool _chat = operation == GatewayOperation.Chat;
    private readonly SortedDictionary<int, AssembledChoice> _choices = [];
    private string? _id;
    private long? _created;
    private string? _model;
    private string? _systemFingerprint;
    private JsonElement? _usage;

    /// <summary>The upstream's own error event, when it sent one instead of (or after) content.</summary>
    public JsonElement? Error { get; private set; }

    /// <summary>Takes one <c>data:</c> payload that is a JSON object.</summary>
    public void Add(string payload)
    {
        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (root.TryGetProperty("error", out var error))
        {
            Error = error.Clone();
            return;
        }

        _id ??= AssembledJson.String(root, "id");
        _model ??= AssembledJson.String(root, "model");
        _systemFingerprint ??= AssembledJson.String(root, "system_fingerprint");
        if (_created is null && root.TryGetProperty("created", out var created) && created.TryGetInt64(out var seconds))
        {
            _created = seconds;
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = usage.Clone();
        }

        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var element in choices.EnumerateArray())
            {
                AddChoice(element);
            }
        }
    }

    public byte[] Build()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", _id);
            json.WriteString("object", _chat ? "chat.completion" : "text_completion");
            json.WriteNumber("created", _created ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            json.WriteString("model", _model);
            json.WriteStartArray("choices");
            foreach (var (index, choice) in _choices)
            {
                WriteChoice(json, index, choice);
            }

            json.WriteEndArray();
            if (_systemFingerprint is not null)
            {
                json.WriteString("system_fingerprint", _systemFingerprint);
            }

            if (_usage is { } usage)
            {
                json.WritePropertyName("usage");
                usage.WriteTo(json);
            }
            else
            {
                json.WriteNull("usage");
            }

            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void AddChoice(JsonElement element)
    {
        var index = element.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        if (!_choices.TryGetValue(index, out var choice))
        {
            choice = new AssembledChoice();
            _choices[index] = choice;
        }

        if (_chat && element.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            choice.Role ??= AssembledJson.String(delta, "role");
            AssembledJson.Append(ref choice.Text, delta, "content");
            AssembledJson.Append(ref choice.Reasoning, delta, "reasoning_content");
            AssembledJson.Append(ref choice.Refusal, delta, "refusal");
            if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    choice.AddToolCall(call);
                }
            }
        }
        else if (!_chat)
        {
            AssembledJson.Append(ref choice.Text, element, "text");
        }

        if (element.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object)
        {
            choice.AddLogprobs(logprobs);
        }

        if (AssembledJson.String(element, "finish_reason") is { } finish)
        {
            choice.FinishReason = finish;
        }

        // vLLM names the stop string or token that ended the choice.
        if (element.TryGetProperty("stop_reason", out var stop) && stop.ValueKind != JsonValueKind.Null)
        {
            choice.StopReason = stop.Clone();
        }
    }

    private void WriteChoice(Utf8JsonWriter json, int index, AssembledChoice choice)
    {
        json.WriteStartObject();
        json.WriteNumber("index", index);
        if (_chat)
        {
            json.WriteStartObject("message");
            json.WriteString("role", choice.Role ?? "assistant");
            if (choice.Text is null && choice.ToolCalls.Count > 0)
            {
                json.WriteNull("content");
            }
            else
            {
                json.WriteString("content", choice.Text?.ToString() ?? string.Empty);
            }

            json.WriteString("refusal", choice.Refusal?.ToString());
            if (choice.Reasoning is not null)
            {
                json.WriteString("reasoning_content", choice.Reasoning.ToString());
            }

            json.WriteStartArray("tool_calls");
            foreach (var call in choice.ToolCalls.Values)
            {
                call.Write(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", choice.Text?.ToString() ?? string.Empty);
        }

        json.WritePropertyName("logprobs");
        choice.WriteLogprobs(json);
        json.WriteString("finish_reason", choice.FinishReason);
        if (choice.StopReason is { } stop)
        {
            json.WritePropertyName("stop_reason");
            stop.WriteTo(json);
        }

        json.WriteEndObject();
    }
}
