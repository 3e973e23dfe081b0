using System.Net.Http.Headers;
using System.Text.Json;
using Portal.Simulator.Configuration;
using Portal.Simulator.Engine;

namespace Portal.Simulator.Api;

internal enum CompletionKind
{
    Chat,
    Text,
}

/// <summary>What the simulator needs from a validated <c>/v1/chat/completions</c> or <c>/v1/completions</c> body.</summary>
internal sealed record CompletionRequest(
    CompletionKind Kind,
    int PromptTokens,
    int MaxTokens,
    bool MaxTokensGiven,
    bool Stream,
    bool IncludeUsage,
    int PromptHash)
{
    private const uint FnvOffset = 2166136261;

    private static readonly HashSet<string> _roles = ["system", "developer", "user", "assistant", "tool", "function"];

    /// <summary>Reads and validates the body; exactly one of the results is null.</summary>
    public static async Task<(CompletionRequest? Request, OpenAiError? Error)> ReadAsync(
        HttpRequest http, CompletionKind kind, SimulatorOptions options)
    {
        if (!MediaTypeHeaderValue.TryParse(http.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OpenAiError.BadRequest("Content-Type must be application/json."));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, cancellationToken: http.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, OpenAiError.BadRequest(
                "We could not parse the JSON body of your request. The body must be valid JSON."));
        }

        using (document)
        {
            return Validate(document.RootElement, kind, options);
        }
    }

    private static (CompletionRequest?, OpenAiError?) Validate(JsonElement root, CompletionKind kind, SimulatorOptions options)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, OpenAiError.BadRequest("The request body must be a JSON object."));
        }

        if (!root.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String)
        {
            return (null, OpenAiError.BadRequest("you must provide a model parameter", "model"));
        }

        if (model.GetString() != options.ServedModelName)
        {
            return (null, OpenAiError.ModelNotFound(model.GetString()!));
        }

        var (promptTokens, promptHash, promptError) = kind == CompletionKind.Chat ? ReadMessages(root) : ReadPrompt(root);
        if (promptError is not null)
        {
            return (null, promptError);
        }

        var maxTokensName = root.TryGetProperty("max_completion_tokens", out var maxTokens) && maxTokens.ValueKind != JsonValueKind.Null
            ? "max_completion_tokens"
            : "max_tokens";
        var given = root.TryGetProperty(maxTokensName, out maxTokens) && maxTokens.ValueKind != JsonValueKind.Null;
        var tokens = options.DefaultMaxTokens;
        if (given)
        {
            if (maxTokens.ValueKind != JsonValueKind.Number || !maxTokens.TryGetInt32(out tokens) || tokens < 1)
            {
                return (null, OpenAiError.BadRequest($"{maxTokensName} must be an integer of at least 1.", maxTokensName));
            }

            if (promptTokens + tokens > options.MaxModelLen)
            {
                return (null, OpenAiError.BadRequest(
                    $"This model's maximum context length is {options.MaxModelLen} tokens. However, you requested "
                    + $"{promptTokens + tokens} tokens ({promptTokens} in the messages, {tokens} in the completion). "
                    + "Please reduce the length of the messages or completion.", maxTokensName));
            }
        }
        else
        {
            tokens = Math.Max(1, Math.Min(tokens, options.MaxModelLen - promptTokens));
        }

        if (promptTokens >= options.MaxModelLen)
        {
            return (null, OpenAiError.BadRequest(
                $"This model's maximum context length is {options.MaxModelLen} tokens; the prompt has {promptTokens}.",
                kind == CompletionKind.Chat ? "messages" : "prompt"));
        }

        if (root.TryGetProperty("n", out var n) && n.ValueKind != JsonValueKind.Null && (!n.TryGetInt32(out var count) || count != 1))
        {
            return (null, OpenAiError.BadRequest("Only n = 1 is supported.", "n"));
        }

        var stream = false;
        if (root.TryGetProperty("stream", out var streamElement) && streamElement.ValueKind != JsonValueKind.Null)
        {
            if (streamElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (null, OpenAiError.BadRequest("stream must be a boolean.", "stream"));
            }

            stream = streamElement.GetBoolean();
        }

        var includeUsage = root.TryGetProperty("stream_options", out var streamOptions)
            && streamOptions.ValueKind == JsonValueKind.Object
            && streamOptions.TryGetProperty("include_usage", out var usage)
            && usage.ValueKind == JsonValueKind.True;

        return (new CompletionRequest(kind, promptTokens, tokens, given, stream, includeUsage, promptHash), null);
    }

    private static (int Tokens, int Hash, OpenAiError? Error) ReadMessages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array
            || messages.GetArrayLength() == 0)
        {
            return (0, 0, OpenAiError.BadRequest("messages must be a non-empty array.", "messages"));
        }

        var tokens = TokenCounter.ReplyPriming;
        var hash = FnvOffset;
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var param = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("role", out var role)
                || role.ValueKind != JsonValueKind.String || !_roles.Contains(role.GetString()!))
            {
                return (0, 0, OpenAiError.BadRequest($"{param} must be an object with a valid role.", param + ".role"));
            }

            tokens += TokenCounter.PerMessage;
            if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (content.ValueKind == JsonValueKind.String)
            {
                tokens += Count(content.GetString()!, ref hash);
            }
            else if (content.ValueKind == JsonValueKind.Array)
            {
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text)
                        && text.ValueKind == JsonValueKind.String)
                    {
                        tokens += Count(text.GetString()!, ref hash);
                    }
                }
            }
            else
            {
                return (0, 0, OpenAiError.BadRequest($"{param}.content must be a string or an array of parts.", param + ".content"));
            }
        }

        return (tokens, (int)hash, null);
    }

    private static (int Tokens, int Hash, OpenAiError? Error) ReadPrompt(JsonElement root)
    {
        var hash = FnvOffset;
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            return (0, 0, OpenAiError.BadRequest("you must provide a prompt parameter", "prompt"));
        }

        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                return (1 + Count(prompt.GetString()!, ref hash), (int)hash, null);
            case JsonValueKind.Array when prompt.GetArrayLength() > 0:
                var tokens = 1;
                foreach (var item in prompt.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        tokens += Count(item.GetString()!, ref hash);
                    }
                    else if (item.ValueKind == JsonValueKind.Number)
                    {
                        tokens++;
                        Count(item.GetRawText(), ref hash);
                    }
                    else
                    {
                        return (0, 0, OpenAiError.BadRequest("prompt items must be strings or token ids.", "prompt"));
                    }
                }

                return (tokens, (int)hash, null);
            default:
                return (0, 0, OpenAiError.BadRequest("prompt must be a string or a non-empty array.", "prompt"));
        }
    }

    private static int Count(string text, ref uint hash)
    {
        // string.GetHashCode and HashCode are randomised per process; FNV-1a keeps generated text repeatable across runs.
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return TokenCounter.Count(text);
    }
}
