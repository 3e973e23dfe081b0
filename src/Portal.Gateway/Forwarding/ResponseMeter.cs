using System.Buffers;
using Portal.Core.Gateway;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// Watches one response's bytes on their way to the client: when each content chunk passed, the usage report, whether the
/// stream finished. Normal chunks are only scanned, never parsed or re-serialised; nothing of their text is kept.
/// </summary>
internal sealed class ResponseMeter : IDisposable
{
    private const int TailCapacity = 2048;

    private readonly byte[] _contentKey;
    private readonly bool _stripUsageChunk;
    private long[] _contentTimestamps;
    private int _contentCount;
    private bool _dropNextBlankLine;
    private byte[]? _tail;
    private int _tailLength;

    public ResponseMeter(GatewayOperation operation, bool stripUsageChunk)
    {
        _contentKey = operation == GatewayOperation.Chat ? "\"content\""u8.ToArray() : "\"text\""u8.ToArray();
        _stripUsageChunk = stripUsageChunk;
        _contentTimestamps = ArrayPool<long>.Shared.Rent(64);
    }

    public bool Streamed { get; set; }

    public int? PromptTokens { get; private set; }

    public int? CompletionTokens { get; private set; }

    /// <summary>The stream carried the <c>[DONE]</c> sentinel.</summary>
    public bool SawDone { get; private set; }

    /// <summary>Set when the gateway ended the stream itself (upstream failed or went silent mid-stream).</summary>
    public string? StreamError { get; set; }

    /// <summary>The upstream sent its own error event inside the stream.</summary>
    public bool SawErrorEvent { get; private set; }

    public ReadOnlySpan<long> ContentTimestamps => _contentTimestamps.AsSpan(0, _contentCount);

    /// <summary>Looks at one SSE line (without its line break); false when the line must not reach the client.</summary>
    public bool OnLine(ReadOnlySpan<byte> line, long timestamp)
    {
        if (line.IsEmpty)
        {
            if (_dropNextBlankLine)
            {
                _dropNextBlankLine = false;
                return false;
            }

            return true;
        }

        if (!line.StartsWith("data:"u8))
        {
            return true;
        }

        var payload = line[5..];
        if (!payload.IsEmpty && payload[0] == (byte)' ')
        {
            payload = payload[1..];
        }

        if (payload.IsEmpty || payload[0] != (byte)'{')
        {
            SawDone |= payload.SequenceEqual("[DONE]"u8);
            return true;
        }

        if (JsonScan.HasNonEmptyString(payload, _contentKey))
        {
            AddContentTimestamp(timestamp);
        }

        if (JsonScan.TryFindValue(payload, "\"usage\""u8, out var usage) && !usage.IsEmpty && usage[0] == (byte)'{')
        {
            ReadUsage(usage);
            if (_stripUsageChunk && HasEmptyChoices(payload))
            {
                // The client did not ask for usage; the gateway did, to measure. Hide the extra event whole.
                _dropNextBlankLine = true;
                return false;
            }
        }
        else if (payload.StartsWith("{\"error\""u8))
        {
            SawErrorEvent = true;
        }

        return true;
    }

    /// <summary>Keeps the last bytes of a JSON body, where OpenAI-compatible servers put <c>usage</c>.</summary>
    public void OnBodyBytes(ReadOnlySpan<byte> bytes)
    {
        _tail ??= ArrayPool<byte>.Shared.Rent(TailCapacity);
        var capacity = TailCapacity;
        if (bytes.Length >= capacity)
        {
            bytes[^capacity..].CopyTo(_tail);
            _tailLength = capacity;
            return;
        }

        var keep = Math.Min(_tailLength, capacity - bytes.Length);
        _tail.AsSpan(_tailLength - keep, keep).CopyTo(_tail);
        bytes.CopyTo(_tail.AsSpan(keep));
        _tailLength = keep + bytes.Length;
    }

    /// <summary>Reads <c>usage</c> from the kept tail of a JSON body.</summary>
    public void CompleteBody()
    {
        if (_tail is null)
        {
            return;
        }

        var tail = _tail.AsSpan(0, _tailLength);
        var usageAt = tail.LastIndexOf("\"usage\""u8);
        if (usageAt >= 0 && JsonScan.TryFindValue(tail[usageAt..], "\"usage\""u8, out var usage) && !usage.IsEmpty && usage[0] == (byte)'{')
        {
            ReadUsage(usage);
        }
    }

    public void Dispose()
    {
        ArrayPool<long>.Shared.Return(_contentTimestamps);
        _contentTimestamps = [];
        _contentCount = 0;
        if (_tail is not null)
        {
            ArrayPool<byte>.Shared.Return(_tail);
            _tail = null;
        }
    }

    private void ReadUsage(ReadOnlySpan<byte> usage)
    {
        // No other object in these payloads has properties named exactly like these two, so no need to find its end.
        if (JsonScan.TryReadInt32(usage, "\"prompt_tokens\""u8, out var prompt))
        {
            PromptTokens = prompt;
        }

        if (JsonScan.TryReadInt32(usage, "\"completion_tokens\""u8, out var completion))
        {
            CompletionTokens = completion;
        }
    }

    private static bool HasEmptyChoices(ReadOnlySpan<byte> payload)
    {
        if (!JsonScan.TryFindValue(payload, "\"choices\""u8, out var choices) || choices.IsEmpty || choices[0] != (byte)'[')
        {
            return false;
        }

        var rest = choices[1..].TrimStart(" \t"u8);
        return !rest.IsEmpty && rest[0] == (byte)']';
    }

    private void AddContentTimestamp(long timestamp)
    {
        if (_contentCount == _contentTimestamps.Length)
        {
            var larger = ArrayPool<long>.Shared.Rent(_contentTimestamps.Length * 2);
            _contentTimestamps.AsSpan(0, _contentCount).CopyTo(larger);
            ArrayPool<long>.Shared.Return(_contentTimestamps);
            _contentTimestamps = larger;
        }

        _contentTimestamps[_contentCount++] = timestamp;
    }
}
