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

    private const long NotReading = long.MinValue;

    private static readonly byte[] _done = "data: [DONE]\n\n"u8.ToArray();

    private readonly Stream _inner;
    private readonly ResponseMeter _meter;
    private readonly bool _sse;
    private readonly TimeSpan _idleTimeout;
    private byte[] _buffer;
    private int _outStart;
    private int _outEnd;
    private int _dataEnd;
    private bool _eof;
    private bool _inLongLine;
    private bool _lastLineBlank = true;
    private ReadOnlyMemory<byte> _appended;
    private CancellationTokenSource? _idle;
    private CancellationToken _idleLinkedTo;
    private Timer? _idleTimer;
    private int _timerArmed;

    /// <summary><see cref="Environment.TickCount64"/> when the pending upstream read began; <see cref="NotReading"/> between reads.</summary>
    private long _readSince = NotReading;

    public MeteredStream(Stream inner, ResponseMeter meter, bool sse, TimeSpan idleTimeout)
    {
        _inner = inner;
        _meter = meter;
        _sse = sse;
        _idleTimeout = idleTimeout;
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
            _idleTimer?.Dispose();
            _idle?.Dispose();
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
            read = await _inner.ReadAsync(_buffer.AsMemory(_dataEnd), StartRead(cancellationToken));
        }
        catch (Exception e) when (_sse && !cancellationToken.IsCancellationRequested)
        {
            // The client is still there (its token is not cancelled): the upstream broke or went silent.
            EndStream(e is OperationCanceledException ? StreamErrors.Timeout : StreamErrors.Broken);
            return;
        }
        finally
        {
            Volatile.Write(ref _readSince, NotReading);
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

    /// <summary>
    /// The token for one read of the upstream: cancelled once that read has waited <see cref="_idleTimeout"/>. Only a pending
    /// read counts as silence (a client slow to take what was read is not the upstream's fault), and a read costs a
    /// timestamp, not a timer change: one timer per stream looks at the pending read when it is due and sleeps again, and
    /// between reads it is not armed at all, so an idle stream holds no timer.
    /// </summary>
    private CancellationToken StartRead(CancellationToken outer)
    {
        if (_idle is null || _idleLinkedTo != outer)
        {
            _idleTimer?.Dispose();
            _idle?.Dispose();
            _idle = CancellationTokenSource.CreateLinkedTokenSource(outer);
            _idleLinkedTo = outer;
            _idleTimer = new Timer(static state => ((MeteredStream)state!).CheckIdle(), this, Timeout.Infinite, Timeout.Infinite);
            _timerArmed = 0;
        }

        Volatile.Write(ref _readSince, Environment.TickCount64);
        Arm(_idleTimeout);
        return _idle.Token;
    }

    private void Arm(TimeSpan due)
    {
        if (Interlocked.Exchange(ref _timerArmed, 1) == 0)
        {
            _idleTimer!.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void CheckIdle()
    {
        try
        {
            // Disarmed before the pending read is looked at: a read that starts meanwhile arms the timer again itself.
            Interlocked.Exchange(ref _timerArmed, 0);
            var since = Volatile.Read(ref _readSince);
            if (since == NotReading)
            {
                return;
            }

            var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - since);
            if (waited >= _idleTimeout)
            {
                _idle?.Cancel();
                return;
            }

            Arm(_idleTimeout - waited);
        }
        catch (ObjectDisposedException)
        {
            // The stream ended while the timer was due: nothing left to watch.
        }
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
