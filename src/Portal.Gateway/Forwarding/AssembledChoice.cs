using System.Text;
using System.Text.Json;

namespace Portal.Gateway.Forwarding;

/// <summary>One choice of an answer being assembled by <see cref="CompletionAssembler"/>.</summary>
internal sealed class AssembledChoice
{
    private Dictionary<string, List<JsonElement>>? _logprobArrays;
    private List<string>? _logprobOrder;

    public string? Role;
    public StringBuilder? Text;
    public StringBuilder? Reasoning;
    public StringBuilder? Refusal;
    public string? FinishReason;
    public JsonElement? StopReason;

    public SortedDictionary<int, AssembledToolCall> ToolCalls { get; } = [];

    public void AddToolCall(JsonElement call)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : ToolCalls.Count;
        if (!ToolCalls.TryGetValue(index, out var tool))
        {
            tool = new AssembledToolCall();
            ToolCalls[index] = tool;
        }

        tool.Id ??= AssembledJson.String(call, "id");
        tool.Type ??= AssembledJson.String(call, "type");
        if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            tool.Name ??= AssembledJson.String(function, "name");
            AssembledJson.Append(ref tool.Arguments, function, "arguments");
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

/// <summary>One tool call of an assembled chat choice; its arguments arrive in pieces.</summary>
internal sealed class AssembledToolCall
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

/// <summary>Small reads of chunk JSON shared by the assembler's parts.</summary>
internal static class AssembledJson
{
    public static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static void Append(ref StringBuilder? builder, JsonElement element, string name)
    {
        if (String(element, name) is { } text)
        {
            (builder ??= new StringBuilder()).Append(text);
        }
    }
}
