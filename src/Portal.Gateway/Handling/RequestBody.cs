using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Portal.Gateway.Handling;

/// <summary>
/// What the gateway needs from a request body, with the byte positions to rewrite it: the top-level <c>model</c>,
/// <c>stream</c> and <c>stream_options.include_usage</c>. Read once, kept only in memory for the request's lifetime.
/// </summary>
internal readonly record struct RequestFields(
    string Model,
    int ModelStart,
    int ModelLength,
    bool Stream,
    bool IncludeUsage,
    int RootStart,
    int StreamOptionsStart,
    int StreamOptionsLength,
    bool StreamOptionsIsObject,
    bool StreamOptionsIsEmpty,
    int IncludeUsageStart,
    int IncludeUsageLength,
    int StreamStart = -1,
    int StreamLength = 0);

internal static class RequestBody
{
    private static readonly byte[] _includeUsageProperty = "\"include_usage\":true"u8.ToArray();
    private static readonly byte[] _streamOptionsObject = "{\"include_usage\":true}"u8.ToArray();
    private static readonly byte[] _streamOptionsProperty = "\"stream_options\":{\"include_usage\":true},"u8.ToArray();
    private static readonly byte[] _true = "true"u8.ToArray();
    private static readonly byte[] _streamProperty = "\"stream\":true,"u8.ToArray();

    /// <summary>Reads the whole body; null with an error when it is larger than allowed.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>: a small body is usually in Kestrel's buffer already, and then nothing awaits.</remarks>
    public static async ValueTask<(byte[]? Body, GatewayError? Error)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length)
        {
            if (length > maxBytes)
            {
                return (null, GatewayError.BodyTooLarge(maxBytes));
            }

            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, cancellationToken);
            return (body, null);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken);
                if (read == 0)
                {
                    return (buffer.AsSpan(0, total).ToArray(), null);
                }

                total += read;
                if (total > maxBytes)
                {
                    return (null, GatewayError.BodyTooLarge(maxBytes));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>Validates the whole body as one JSON object and finds the fields; exactly one result is non-null.</summary>
    public static (RequestFields? Fields, GatewayError? Error) Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return ParseCore(body);
        }
        catch (JsonException)
        {
            return (null, GatewayError.InvalidJson);
        }
    }

    /// <summary>
    /// The body to send upstream: <c>model</c> replaced by the upstream's name, <c>stream_options.include_usage</c>
    /// set so a stream reports usage, and <c>stream</c> set when a non-streamed request is streamed upstream.
    /// Splices bytes; everything else stays exactly as the client sent it.
    /// </summary>
    public static byte[] Rewrite(byte[] body, in RequestFields fields, string? upstreamModel, bool addUsage, bool forceStream = false)
    {
        Span<Edit> edits = stackalloc Edit[3];
        var count = 0;
        byte[]? model = null;
        if (upstreamModel is not null && upstreamModel != fields.Model)
        {
            model = JsonSerializer.SerializeToUtf8Bytes(upstreamModel);
            edits[count++] = new Edit(fields.ModelStart, fields.ModelLength, 0);
        }

        byte[]? usage = null;
        if (addUsage)
        {
            if (fields.IncludeUsageStart >= 0)
            {
                usage = "true"u8.ToArray();
                edits[count++] = new Edit(fields.IncludeUsageStart, fields.IncludeUsageLength, 1);
            }
            else if (fields.StreamOptionsIsObject)
            {
                usage = fields.StreamOptionsIsEmpty ? _includeUsageProperty : [.. _includeUsageProperty, (byte)','];
                edits[count++] = new Edit(fields.StreamOptionsStart + 1, 0, 1);
            }
            else if (fields.StreamOptionsStart >= 0)
            {
                usage = _streamOptionsObject;
                edits[count++] = new Edit(fields.StreamOptionsStart, fields.StreamOptionsLength, 1);
            }
            else
            {
                usage = _streamOptionsProperty;
                edits[count++] = new Edit(fields.RootStart + 1, 0, 1);
            }
        }

        byte[]? stream = null;
        if (forceStream && !fields.Stream)
        {
            if (fields.StreamStart >= 0)
            {
                stream = _true;
                edits[count++] = new Edit(fields.StreamStart, fields.StreamLength, 2);
            }
            else
            {
                stream = _streamProperty;
                edits[count++] = new Edit(fields.RootStart + 1, 0, 2);
            }
        }

        if (count == 0)
        {
            return body;
        }

        var applied = edits[..count];
        applied.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        var length = body.Length;
        foreach (var edit in applied)
        {
            length += Insert(edit.Which).Length - edit.RemoveLength;
        }

        var result = new byte[length];
        var source = 0;
        var target = 0;
        foreach (var edit in applied)
        {
            body.AsSpan(source, edit.Start - source).CopyTo(result.AsSpan(target));
            target += edit.Start - source;
            var insert = Insert(edit.Which);
            insert.CopyTo(result.AsSpan(target));
            target += insert.Length;
            source = edit.Start + edit.RemoveLength;
        }

        body.AsSpan(source).CopyTo(result.AsSpan(target));
        return result;

        byte[] Insert(int which) => which switch
        {
            0 => model!,
            1 => usage!,
            _ => stream!,
        };
    }

    private static (RequestFields?, GatewayError?) ParseCore(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
        if (!reader.Read())
        {
            return (null, GatewayError.InvalidJson);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, reader.Read() ? GatewayError.InvalidJson : GatewayError.NotAnObject);
        }

        var rootStart = (int)reader.TokenStartIndex;
        string? model = null;
        int modelStart = -1, modelLength = 0;
        var stream = false;
        var streamNotBoolean = false;
        int streamStart = -1, streamLength = 0;
        var includeUsage = false;
        int optionsStart = -1, optionsLength = 0, usageStart = -1, usageLength = 0;
        bool optionsIsObject = false, optionsIsEmpty = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                model = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                modelStart = (int)reader.TokenStartIndex;
                reader.Skip();
                modelLength = (int)reader.BytesConsumed - modelStart;
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = reader.TokenType == JsonTokenType.True;
                streamNotBoolean = reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null);
                streamStart = (int)reader.TokenStartIndex;
                reader.Skip();
                streamLength = (int)reader.BytesConsumed - streamStart;
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                optionsStart = (int)reader.TokenStartIndex;
                optionsIsObject = reader.TokenType == JsonTokenType.StartObject;
                if (optionsIsObject)
                {
                    optionsIsEmpty = true;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        optionsIsEmpty = false;
                        var isIncludeUsage = reader.ValueTextEquals("include_usage"u8);
                        reader.Read();
                        if (isIncludeUsage)
                        {
                            includeUsage = reader.TokenType == JsonTokenType.True;
                            usageStart = (int)reader.TokenStartIndex;
                            reader.Skip();
                            usageLength = (int)reader.BytesConsumed - usageStart;
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }

                optionsLength = (int)reader.BytesConsumed - optionsStart;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The root object is closed; anything but whitespace after it is malformed.
        if (reader.Read())
        {
            return (null, GatewayError.InvalidJson);
        }

        if (model is null)
        {
            return (null, GatewayError.MissingModel);
        }

        if (streamNotBoolean)
        {
            return (null, GatewayError.StreamNotBoolean);
        }

        return (new RequestFields(model, modelStart, modelLength, stream, includeUsage, rootStart,
            optionsStart, optionsLength, optionsIsObject, optionsIsEmpty, usageStart, usageLength, streamStart, streamLength), null);
    }

    /// <summary>Replace <see cref="RemoveLength"/> bytes at <see cref="Start"/> by insert number <see cref="Which"/>.</summary>
    private readonly record struct Edit(int Start, int RemoveLength, int Which);
}
