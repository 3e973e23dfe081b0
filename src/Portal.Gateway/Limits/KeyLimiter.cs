using System.Collections.Concurrent;
using System.Diagnostics;
using Portal.Core.Gateway;
using Portal.Gateway.Handling;
using Portal.Gateway.Seams;

namespace Portal.Gateway.Limits;

/// <summary>
/// Per-key limits from the key itself: requests per minute and requests in flight. State lives in this gateway
/// instance; with N gateway instances each enforces the limits on its own share of traffic.
/// </summary>
internal sealed class KeyLimiter
{
    private readonly ConcurrentDictionary<Guid, KeyState> _keys = new();

    /// <summary>Admits a request, or returns the 429 to answer. Dispose the lease when the request ends.</summary>
    public KeyLease TryEnter(GatewayKey key, out GatewayError? error)
    {
        error = null;
        if (key.RequestsPerMinute is null && key.MaxConcurrentRequests is null)
        {
            return default;
        }

        var state = _keys.GetOrAdd(key.Id, static _ => new KeyState());
        var counted = false;
        if (key.MaxConcurrentRequests is { } maxConcurrent)
        {
            if (Interlocked.Increment(ref state.InFlight) > maxConcurrent)
            {
                Interlocked.Decrement(ref state.InFlight);
                error = GatewayError.ConcurrencyLimited;
                return default;
            }

            counted = true;
        }

        if (key.RequestsPerMinute is { } perMinute)
        {
            bool admitted;
            TimeSpan retryAfter;
            lock (state.Lock)
            {
                admitted = state.Rate.TryTake(perMinute, Stopwatch.GetTimestamp(), Stopwatch.Frequency, out retryAfter);
            }

            if (!admitted)
            {
                if (counted)
                {
                    Interlocked.Decrement(ref state.InFlight);
                }

                error = GatewayError.RateLimited(retryAfter);
                return default;
            }
        }

        return new KeyLease(counted ? state : null);
    }

    internal sealed class KeyState
    {
        public readonly Lock Lock = new();
        public RequestRateBucket Rate;
        public int InFlight;
    }
}

/// <summary>Holds one in-flight slot of a key until disposed.</summary>
internal readonly struct KeyLease(KeyLimiter.KeyState? state) : IDisposable
{
    public void Dispose()
    {
        if (state is not null)
        {
            Interlocked.Decrement(ref state.InFlight);
        }
    }
}
