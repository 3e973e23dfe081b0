namespace Portal.Core.Gateway;

/// <summary>
/// A per-key requests-per-minute limit as a token bucket: a full minute's allowance may be spent at once, then it
/// refills evenly (one request every 60/limit seconds). Not thread-safe: the caller holds a lock per key.
/// </summary>
public struct RequestRateBucket
{
    private double _tokens;
    private long _updated;
    private bool _started;

    /// <summary>Takes one request from the bucket, or says how long until one is available.</summary>
    public bool TryTake(int perMinute, long now, long ticksPerSecond, out TimeSpan retryAfter)
    {
        if (perMinute <= 0)
        {
            retryAfter = TimeSpan.FromMinutes(1);
            return false;
        }

        var perSecond = perMinute / 60.0;
        if (!_started)
        {
            _started = true;
            _tokens = perMinute;
        }
        else
        {
            var elapsed = Math.Max(0, now - _updated) / (double)ticksPerSecond;
            _tokens = Math.Min(perMinute, _tokens + elapsed * perSecond);
        }

        _updated = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            retryAfter = TimeSpan.Zero;
            return true;
        }

        retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
        return false;
    }
}
