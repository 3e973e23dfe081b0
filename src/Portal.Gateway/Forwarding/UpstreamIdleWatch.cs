namespace Portal.Gateway.Forwarding;

/// <summary>
/// Gives up a read of the upstream that has waited <c>timeout</c>. Only a pending read counts as silence (a client slow
/// to take what was read is not the upstream's fault), and a read costs a timestamp, not a timer change: one timer looks
/// at the pending read when it is due and sleeps again, and between reads it is not armed at all, so an idle stream holds
/// no timer.
/// </summary>
internal sealed class UpstreamIdleWatch(TimeSpan timeout) : IDisposable
{
    private const long NotReading = long.MinValue;

    private CancellationTokenSource? _idle;
    private CancellationToken _linkedTo;
    private Timer? _timer;
    private int _armed;

    /// <summary><see cref="Environment.TickCount64"/> when the pending read began; <see cref="NotReading"/> between reads.</summary>
    private long _readSince = NotReading;

    /// <summary>The token for one read: cancelled with <paramref name="outer"/>, or once the read has waited too long.</summary>
    public CancellationToken StartRead(CancellationToken outer)
    {
        if (_idle is null || _linkedTo != outer)
        {
            _timer?.Dispose();
            _idle?.Dispose();
            _idle = CancellationTokenSource.CreateLinkedTokenSource(outer);
            _linkedTo = outer;
            _timer = new Timer(static state => ((UpstreamIdleWatch)state!).Check(), this, Timeout.Infinite, Timeout.Infinite);
            _armed = 0;
        }

        Volatile.Write(ref _readSince, Environment.TickCount64);
        Arm(timeout);
        return _idle.Token;
    }

    /// <summary>The read returned (or failed): nothing is pending until the next <see cref="StartRead"/>.</summary>
    public void EndRead() => Volatile.Write(ref _readSince, NotReading);

    public void Dispose()
    {
        _timer?.Dispose();
        _idle?.Dispose();
    }

    private void Arm(TimeSpan due)
    {
        if (Interlocked.Exchange(ref _armed, 1) == 0)
        {
            _timer!.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Check()
    {
        try
        {
            // Disarmed before the pending read is looked at: a read that starts meanwhile arms the timer again itself.
            Interlocked.Exchange(ref _armed, 0);
            var since = Volatile.Read(ref _readSince);
            if (since == NotReading)
            {
                return;
            }

            var waited = TimeSpan.FromMilliseconds(Environment.TickCount64 - since);
            if (waited >= timeout)
            {
                _idle?.Cancel();
                return;
            }

            Arm(timeout - waited);
        }
        catch (ObjectDisposedException)
        {
            // The stream ended while the timer was due: nothing left to watch.
        }
    }
}
