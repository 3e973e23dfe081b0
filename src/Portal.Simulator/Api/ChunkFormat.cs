using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;

namespace Portal.Simulator.Api;

/// <summary>
/// The bytes of one completion's SSE chunks. A content chunk differs from the next only by its token, so the JSON
/// before and after the token is encoded once per request and each token costs three copies, no allocation.
/// </summary>
internal sealed class ChunkFormat
{
    private static readonly byte[] _dataPrefix = "data: "u8.ToArray();
    private static readonly byte[] _eventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] _done = "data: [DONE]\n\n"u8.ToArray();
    private static readonly byte[] _chatSuffix = "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"u8.ToArray();
    private static readonly byte[] _chatSuffixUsage = "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"u8.ToArray();
    private static readonly byte[] _textSuffix = "\",\"logprobs\":null,\"finish_reason\":null}]}\n\n"u8.ToArray();
    private static readonly byte[] _textSuffixUsage = "\",\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n"u8.ToArray();

    private readonly CompletionRequest _request;
    private readonly byte[] _tokenPrefix;
    private readonly byte[] _tokenSuffix;

    public ChunkFormat(CompletionRequest request, string id, long created, string model)
    {
        _request = request;
        Id = id;
        Created = created;
        Model = model;
        var isChat = request.Kind == CompletionKind.Chat;
        var head = $"data: {{\"id\":\"{id}\",\"object\":\"{(isChat ? "chat.completion.chunk" : "text_completion")}\","
            + $"\"created\":{created},\"model\":{JsonSerializer.Serialize(model)},\"choices\":[{{\"index\":0,"
            + (isChat ? "\"delta\":{\"content\":\"" : "\"text\":\"");
        _tokenPrefix = Encoding.UTF8.GetBytes(head);
        _tokenSuffix = (isChat, request.IncludeUsage) switch
        {
            (true, false) => _chatSuffix,
            (true, true) => _chatSuffixUsage,
            (false, false) => _textSuffix,
            (false, true) => _textSuffixUsage,
        };
    }

    public string Id { get; }

    public long Created { get; }

    public string Model { get; }

    /// <summary>The chat stream's opening chunk: the assistant role with empty content.</summary>
    public void WriteRole(PipeWriter writer) => WriteEvent(writer, json =>
    {
        WriteChoiceStart(json);
        json.WriteStartObject("delta");
        json.WriteString("role", "assistant");
        json.WriteString("content", string.Empty);
        json.WriteEndObject();
        WriteChoiceEnd(json, null);
    });

    public void WriteToken(PipeWriter writer, ReadOnlySpan<byte> token)
    {
        writer.Write(_tokenPrefix);
        writer.Write(token);
        writer.Write(_tokenSuffix);
    }

    /// <summary>The finish chunk, the usage chunk when asked for, and the <c>[DONE]</c> sentinel.</summary>
    public void WriteEnd(PipeWriter writer, string finishReason, int completionTokens)
    {
        WriteEvent(writer, json =>
        {
            WriteChoiceStart(json);
            if (_request.Kind == CompletionKind.Chat)
            {
                json.WriteStartObject("delta");
                json.WriteEndObject();
            }
            else
            {
                json.WriteString("text", string.Empty);
            }

            WriteChoiceEnd(json, finishReason);
        });
        if (_request.IncludeUsage)
        {
            WriteEvent(writer, json =>
            {
                json.WriteStartArray("choices");
                json.WriteEndArray();
                WriteUsage(json, _request.PromptTokens, completionTokens);
            });
        }

        writer.Write(_done);
    }

    /// <summary>A whole non-streamed completion.</summary>
    public void WriteCompletion(IBufferWriter<byte> writer, string text, string finishReason, int completionTokens)
    {
        using var json = new Utf8JsonWriter(writer);
        var isChat = _request.Kind == CompletionKind.Chat;
        json.WriteStartObject();
        WriteIdentity(json, isChat ? "chat.completion" : "text_completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        if (isChat)
        {
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", text);
            json.WriteNull("refusal");
            json.WriteStartArray("tool_calls");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteString("text", text);
        }

        json.WriteNull("logprobs");
        json.WriteString("finish_reason", finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, _request.PromptTokens, completionTokens);
        json.WriteEndObject();
    }

    private void WriteEvent(PipeWriter writer, Action<Utf8JsonWriter> body)
    {
        writer.Write(_dataPrefix);
        using (var json = new Utf8JsonWriter(writer))
        {
            json.WriteStartObject();
            WriteIdentity(json, _request.Kind == CompletionKind.Chat ? "chat.completion.chunk" : "text_completion");
            body(json);
            json.WriteEndObject();
        }

        writer.Write(_eventEnd);
    }

    private void WriteIdentity(Utf8JsonWriter json, string objectType)
    {
        json.WriteString("id", Id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", Created);
        json.WriteString("model", Model);
    }

    private static void WriteChoiceStart(Utf8JsonWriter json)
    {
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
    }

    private void WriteChoiceEnd(Utf8JsonWriter json, string? finishReason)
    {
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        if (_request.IncludeUsage)
        {
            json.WriteNull("usage");
        }
    }

    private static void WriteUsage(Utf8JsonWriter json, int promptTokens, int completionTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", promptTokens);
        json.WriteNumber("completion_tokens", completionTokens);
        json.WriteNumber("total_tokens", promptTokens + completionTokens);
        json.WriteEndObject();
    }
}
