using System.Net.Http.Headers;
using System.Text.Json;
using Portal.Simulator.Configuration;
using Portal.Simulator.Engine;

namespace Portal.Simulator.Api;

/// <summary>
/// A validated <c>/v1/embeddings</c> body, as vLLM's OpenAI server accepts it: <c>input</c> a string, an array of
/// strings, an array of token ids or an array of such arrays; <c>encoding_format</c> <c>float</c> (default) or
/// <c>base64</c>. Each input is kept only as its token count and a hash that seeds its vector.
/// </summary>
internal sealed record EmbeddingRequest(IReadOnlyList<EmbeddingInput> Inputs, bool Base64)
{
    private const uint FnvOffset = 2166136261;

    public int PromptTokens => Inputs.Sum(i => i.Tokens);

    /// <summary>Reads and validates the body; exactly one of the results is null.</summary>
    public static async Task<(EmbeddingRequest? Request, OpenAiError? Error)> ReadAsync(HttpRequest http, SimulatorOptions options)
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
            return (null, OpenAiError.BadRequest("We could not parse the JSON body of your request. The body must be valid JSON."));
        }

        using (document)
        {
            return Validate(document.RootElement, options);
        }
    }

    private static (EmbeddingRequest?, OpenAiError?) Validate(JsonElement root, SimulatorOptions options)
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

        var base64 = false;
        if (root.TryGetProperty("encoding_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            var name = format.ValueKind == JsonValueKind.String ? format.GetString() : null;
            if (name is not ("float" or "base64"))
            {
                return (null, OpenAiError.BadRequest("encoding_format must be 'float' or 'base64'.", "encoding_format"));
            }

            base64 = name == "base64";
        }

        if (root.TryGetProperty("dimensions", out var dimensions) && dimensions.ValueKind != JsonValueKind.Null
            && (!dimensions.TryGetInt32(out var asked) || asked != options.EmbeddingDimensions))
        {
            return (null, OpenAiError.BadRequest(
                $"Model \"{options.ServedModelName}\" does not support matryoshka representation; its embeddings have "
                + $"{options.EmbeddingDimensions} dimensions.", "dimensions"));
        }

        if (!root.TryGetProperty("input", out var input))
        {
            return (null, OpenAiError.BadRequest("you must provide an input parameter", "input"));
        }

        var (inputs, error) = ReadInputs(input);
        if (inputs is null)
        {
            return (null, error);
        }

        var tooLong = inputs.FirstOrDefault(i => i.Tokens > options.MaxModelLen);
        if (tooLong is not null)
        {
            return (null, OpenAiError.BadRequest(
                $"This model's maximum context length is {options.MaxModelLen} tokens. However, you requested "
                + $"{tooLong.Tokens} tokens in the input for embedding generation. Please reduce the length of the input.", "input"));
        }

        return (new EmbeddingRequest(inputs, base64), null);
    }

    private static (List<EmbeddingInput>?, OpenAiError?) ReadInputs(JsonElement input)
    {
        var invalid = OpenAiError.BadRequest(
            "input must be a string, an array of strings, an array of token ids or an array of token id arrays, not empty.", "input");
        if (input.ValueKind == JsonValueKind.String)
        {
            return ([Text(input.GetString()!)], null);
        }

        if (input.ValueKind != JsonValueKind.Array || input.GetArrayLength() == 0)
        {
            return (null, invalid);
        }

        var first = input[0].ValueKind;
        if (first == JsonValueKind.Number)
        {
            return TokenIds(input) is { } single ? ([single], null) : (null, invalid);
        }

        var inputs = new List<EmbeddingInput>();
        foreach (var item in input.EnumerateArray())
        {
            var next = item.ValueKind == JsonValueKind.String && first == JsonValueKind.String ? Text(item.GetString()!)
                : item.ValueKind == JsonValueKind.Array && first == JsonValueKind.Array ? TokenIds(item)
                : null;
            if (next is null)
            {
                return (null, invalid);
            }

            inputs.Add(next);
        }

        return (inputs, null);
    }

    private static EmbeddingInput Text(string text)
    {
        var hash = FnvOffset;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return new EmbeddingInput(Math.Max(1, TokenCounter.Count(text)), hash);
    }

    /// <summary>An array of token ids (non-negative integers, at least one); null when it is not one.</summary>
    private static EmbeddingInput? TokenIds(JsonElement array)
    {
        if (array.GetArrayLength() == 0)
        {
            return null;
        }

        // Token ids hash differently from text: the same digits as a string are another input.
        var hash = FnvOffset ^ 0x9E3779B9;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
            {
                return null;
            }

            hash = (hash ^ (uint)id) * 16777619;
        }

        return new EmbeddingInput(array.GetArrayLength(), hash);
    }
}

/// <summary>One input: its token count and the hash its vector is drawn from.</summary>
internal sealed record EmbeddingInput(int Tokens, uint Hash);
