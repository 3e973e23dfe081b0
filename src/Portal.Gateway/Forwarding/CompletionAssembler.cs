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
    private readonly SortedDictionary<int, Choice> _choices = [];
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

        _id ??= String(root, "id");
        _model ??= String(root, "model");
        _systemFingerprint ??= String(root, "system_fingerprint");
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
            choice = new Choice();
            _choices[index] = choice;
        }

        if (_chat && element.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
        {
            choice.Role ??= String(delta, "role");
            Append(ref choice.Text, delta, "content");
            Append(ref choice.Reasoning, delta, "reasoning_content");
            Append(ref choice.Refusal, delta, "refusal");
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
            Append(ref choice.Text, element, "text");
        }

        if (element.TryGetProperty("logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.Object)
        {
            choice.AddLogprobs(logprobs);
        }

        if (String(element, "finish_reason") is { } finish)
        {
            choice.FinishReason = finish;
        }

        // vLLM names the stop string or token that ended the choice.
        if (element.TryGetProperty("stop_reason", out var stop) && stop.ValueKind != JsonValueKind.Null)
        {
            choice.StopReason = stop.Clone();
        }
    }

    private void WriteChoice(Utf8JsonWriter json, int index, Choice choice)
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

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Append(ref StringBuilder? builder, JsonElement element, string name)
    {
        if (String(element, name) is { } text)
        {
            (builder ??= new StringBuilder()).Append(text);
        }
    }

    private sealed class Choice
    {
        private Dictionary<string, List<JsonElement>>? _logprobArrays;
        private List<string>? _logprobOrder;

        public string? Role;
        public StringBuilder? Text;
        public StringBuilder? Reasoning;
        public StringBuilder? Refusal;
        public string? FinishReason;
        public JsonElement? StopReason;

        public SortedDictionary<int, ToolCall> ToolCalls { get; } = [];

        public void AddToolCall(JsonElement call)
        {
            var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : ToolCalls.Count;
            if (!ToolCalls.TryGetValue(index, out var tool))
            {
                tool = new ToolCall();
                ToolCalls[index] = tool;
            }

            tool.Id ??= String(call, "id");
            tool.Type ??= String(call, "type");
            if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
            {
                tool.Name ??= String(function, "name");
                Append(ref tool.Arguments, function, "arguments");
            }
        }

        /// <summary>
        /// Each chunk's logprobs hold arrays (chat: <c>content</c>, <c>refusal</c>; completions: <c>tokens</c>,
        /// <c>token_logprobs</c>, <c>top_logprobs</c>, <c>text_offset</c>) that together are the whole answer's.
        /// </summary>
        public void AddLogprobs(JsonElement logprobs)
        {
            _logprobArrays ??= [];
            _logprobOrder ??= [];
            foreach (var property in logprobs.EnumerateObject())
            {
                if (!_logprobArrays.TryGetValue(property.Name, out var items))
                {
                    items = [];
                    _logprobArrays[property.Name] = items;
                    _logprobOrder.Add(property.Name);
                }

                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    items.AddRange(property.Value.EnumerateArray().Select(item => item.Clone()));
                }
            }
        }

        public void WriteLogprobs(Utf8JsonWriter json)
        {
            if (_logprobArrays is null)
            {
                json.WriteNullValue();
                return;
            }

            json.WriteStartObject();
            foreach (var name in _logprobOrder!)
            {
                json.WriteStartArray(name);
                foreach (var item in _logprobArrays[name])
                {
                    item.WriteTo(json);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }
    }

    private sealed class ToolCall
    {
        public string? Id;
        public string? Type;
        public string? Name;
        public StringBuilder? Arguments;

        public void Write(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteString("type", Type ?? "function");
            json.WriteStartObject("function");
            json.WriteString("name", Name);
            json.WriteString("arguments", Arguments?.ToString() ?? string.Empty);
            json.WriteEndObject();
            json.WriteEndObject();
        }
    }
}
