using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// The upstream response body as the client receives it. For SSE it hands out whole lines as soon as they are complete
/// (an event is never held back waiting for the next one), lets <see cref="ResponseMeter"/> look at each line and drop the
/// usage event the gateway added, and turns an upstream failure or silence mid-stream into a final
/// <c>data: {"error":…}</c> event and <c>data: [DONE]</c>, so the client's stream ends cleanly instead of hanging or
/// breaking. Other bodies pass through unchanged; only their tail is kept for the usage report.
/// </summary>
internal sealed class MeteredStream : Stream
{
    private const int InitialBufferBytes = 16 * 1024;

    /// <summary>An SSE line longer than this passes through unexamined rather than growing the buffer further.</summary>
    private const int MaxLineBytes = 1024 * 1024;

    private static readonly byte[] _done = "data: [DONE]\n\n"u8.ToArray();

    private readonly Stream _inner;
    private readonly ResponseMeter _meter;
    private readonly bool _sse;
    private byte[] _buffer;
    private int _outStart;
    private int _outEnd;
    private int _dataEnd;
    private bool _eof;
    private bool _inLongLine;
    private bool _lastLineBlank = true;
    private ReadOnlyMemory<byte> _appended;
    private readonly UpstreamIdleWatch _idle;

    public MeteredStream(Stream inner, ResponseMeter meter, bool sse, TimeSpan idleTimeout)
    {
        _inner = inner;
        _meter = meter;
        _sse = sse;
        _idle = new UpstreamIdleWatch(idleTimeout);
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            if (_outStart < _outEnd)
            {
                var count = Math.Min(destination.Length, _outEnd - _outStart);
                _buffer.AsSpan(_outStart, count).CopyTo(destination.Span);
                _outStart += count;
                return count;
            }

            if (!_appended.IsEmpty)
            {
                var count = Math.Min(destination.Length, _appended.Length);
                _appended[..count].CopyTo(destination);
                _appended = _appended[count..];
                return count;
            }

            if (_eof)
            {
                return 0;
            }

            await FillAsync(cancellationToken);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            _inner.Dispose();
            _idle.Dispose();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }

        base.Dispose(disposing);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (MakeRoom())
        {
            return;
        }

        int read;
        try
        {
            read = await _inner.ReadAsync(_buffer.AsMemory(_dataEnd), _idle.StartRead(cancellationToken));
        }
        catch (Exception e) when (_sse && !cancellationToken.IsCancellationRequested)
        {
            // The client is still there (its token is not cancelled): the upstream broke or went silent.
            EndStream(e is OperationCanceledException ? StreamErrors.Timeout : StreamErrors.Broken);
            return;
        }
        finally
        {
            _idle.EndRead();
        }

        if (read == 0)
        {
            _eof = true;
            if (!_sse)
            {
                _meter.CompleteBody();
                _outEnd = _dataEnd;
            }
            else if (_meter.SawDone)
            {
                _outEnd = _dataEnd;
            }
            else
            {
                EndStream(_meter.SawErrorEvent ? null : StreamErrors.Broken);
            }

            return;
        }

        var start = _dataEnd;
        _dataEnd += read;
        if (_sse)
        {
            ScanLines(Stopwatch.GetTimestamp());
        }
        else
        {
            _meter.OnBodyBytes(_buffer.AsSpan(start, read));
            _outEnd = _dataEnd;
        }
    }

    /// <summary>Moves an unfinished line to the front; true when instead an over-long line was released unexamined.</summary>
    private bool MakeRoom()
    {
        var partial = _dataEnd - _outEnd;
        if (_outEnd > 0)
        {
            Buffer.BlockCopy(_buffer, _outEnd, _buffer, 0, partial);
            _outStart = _outEnd = 0;
            _dataEnd = partial;
        }

        if (_dataEnd < _buffer.Length)
        {
            return false;
        }

        if (_buffer.Length < MaxLineBytes)
        {
            var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, larger, 0, _dataEnd);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
            return false;
        }

        _inLongLine = true;
        _outEnd = _dataEnd;
        return true;
    }

    private void ScanLines(long timestamp)
    {
        var position = _outEnd;
        while (position < _dataEnd)
        {
            var newline = _buffer.AsSpan(position, _dataEnd - position).IndexOf((byte)'\n');
            if (newline < 0)
            {
                if (_inLongLine)
                {
                    position = _dataEnd;
                }

                break;
            }

            var lineEnd = position + newline + 1;
            if (_inLongLine)
            {
                _inLongLine = false;
                _lastLineBlank = false;
                position = lineEnd;
                continue;
            }

            var line = _buffer.AsSpan(position, newline);
            if (!line.IsEmpty && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (_meter.OnLine(line, timestamp))
            {
                _lastLineBlank = line.IsEmpty;
                position = lineEnd;
            }
            else
            {
                Buffer.BlockCopy(_buffer, lineEnd, _buffer, position, _dataEnd - lineEnd);
                _dataEnd -= lineEnd - position;
            }
        }

        _outEnd = position;
    }

    /// <summary>Ends the client's stream: any half-received line is dropped, then the error event (if any) and <c>[DONE]</c>.</summary>
    private void EndStream(StreamError? error)
    {
        _eof = true;
        _dataEnd = _outEnd;
        if (error is not null)
        {
            _meter.StreamError = error.Code;
        }

        var closing = error?.Event ?? _done;
        _appended = _lastLineBlank ? closing : (byte[])[(byte)'\n', .. closing];
    }

    private sealed record StreamError(string Code, byte[] Event);

    private static class StreamErrors
    {
        public static readonly StreamError Broken = Create(
            "upstream_stream_error", "The upstream failed while streaming the response. The output above is incomplete.");

        public static readonly StreamError Timeout = Create(
            "upstream_timeout", "The upstream stopped sending while streaming the response. The output above is incomplete.");

        private static StreamError Create(string code, string message)
        {
            var json = $$$"""{"error":{"message":"{{{message}}}","type":"server_error","param":null,"code":"{{{code}}}"}}""";
            return new StreamError(code, [.. Encoding.UTF8.GetBytes($"data: {json}\n\n"), .. _done]);
        }
    }
}
