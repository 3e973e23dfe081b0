using System.Diagnostics;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Engine;

/// <summary>
/// The simulated engine's state: weight loading, scale-to-zero and cold starts, the running batch and its waiting
/// queue, noisy-neighbour episodes and failure draws. Times are <see cref="Stopwatch"/> timestamps; simulated
/// durations become real ones through <see cref="SimulatorOptions.TimeScale"/>.
/// </summary>
internal sealed class InferenceEngine
{
    private readonly SimulatorOptions _options;
    private readonly long _startTimestamp;
    private readonly long _readyTimestamp;
    private readonly SemaphoreSlim _slots;
    private readonly NoisyNeighborSchedule _noisyNeighbors;
    private readonly Lock _lock = new();
    private long _sequence;
    private int _running;
    private int _waiting;
    private long _kvTokens;
    private int _active;
    private long _lastActivity;
    private long _coldLoadEnds;

    public InferenceEngine(SimulatorOptions options)
    {
        _options = options;
        _startTimestamp = Stopwatch.GetTimestamp();
        _readyTimestamp = _startTimestamp + ToTicks(options.WeightLoadSeconds);
        _lastActivity = _readyTimestamp;
        _slots = new SemaphoreSlim(options.MaxNumSeqs, options.MaxNumSeqs);
        _noisyNeighbors = new NoisyNeighborSchedule(
            options.NoisyNeighborMeanIntervalSeconds, options.NoisyNeighborDurationSeconds, options.Seed);
    }

    public SimulatorOptions Options => _options;

    public bool IsReady => Stopwatch.GetTimestamp() >= _readyTimestamp;

    public int Running => Volatile.Read(ref _running);

    public int Waiting => Volatile.Read(ref _waiting);

    public double KvCacheUsage => Math.Min(1.0, (double)Interlocked.Read(ref _kvTokens) / _options.KvCacheTokens);

    /// <summary>Real timestamp ticks for a simulated duration.</summary>
    public long ToTicks(double simulatedSeconds) => (long)(simulatedSeconds * _options.TimeScale * Stopwatch.Frequency);

    public double SimulatedNow => Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds / _options.TimeScale;

    public bool NoisyNeighborActive => _noisyNeighbors.IsActive(SimulatedNow);

    /// <summary>Factor on prefill and decode time from batch contention and any noisy-neighbour episode.</summary>
    public double Slowdown() => DelayModel.Slowdown(_options, Running, NoisyNeighborActive);

    /// <summary>A per-request random stream; the n-th request of a run always gets the same one.</summary>
    public DeterministicRandom NextRandom() => DeterministicRandom.For(_options.Seed, Interlocked.Increment(ref _sequence));

    public static InjectedFailure DrawFailure(ref DeterministicRandom random, SimulatorOptions options)
    {
        var u = random.NextDouble();
        if ((u -= options.ErrorRate500) < 0)
        {
            return InjectedFailure.InternalError;
        }

        if ((u -= options.ErrorRate503) < 0)
        {
            return InjectedFailure.Unavailable;
        }

        if ((u -= options.ErrorRate429) < 0)
        {
            return InjectedFailure.RateLimited;
        }

        return u - options.DropRate < 0 ? InjectedFailure.DropConnection : InjectedFailure.None;
    }

    /// <summary>
    /// Marks a request as arrived. With scale-to-zero, weights idle longer than the idle timeout count as evicted:
    /// this request starts a reload and it, like every request arriving during the reload, waits for it.
    /// Returns the timestamp when the weights are resident for this request, and whether it waited for a reload.
    /// </summary>
    public (long ResidentAt, bool ColdStart) Arrive()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            var coldStart = false;
            if (now < _coldLoadEnds)
            {
                coldStart = true;
            }
            else if (_options.ScaleToZero && _active == 0 && now - _lastActivity > ToTicks(_options.IdleTimeoutSeconds))
            {
                _coldLoadEnds = now + ToTicks(_options.ColdStartSeconds);
                coldStart = true;
            }

            _active++;
            _lastActivity = now;
            return (coldStart ? _coldLoadEnds : now, coldStart);
        }
    }

    public void Depart()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            _active--;
            _lastActivity = Math.Max(_lastActivity, now);
        }
    }

    /// <summary>Takes a running slot, waiting in the bounded queue if needed; false when the queue is full.</summary>
    public async ValueTask<bool> TryStartAsync(CancellationToken cancellationToken)
    {
        if (!_slots.Wait(0))
        {
            if (Interlocked.Increment(ref _waiting) > _options.MaxWaitingRequests)
            {
                Interlocked.Decrement(ref _waiting);
                return false;
            }

            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        Interlocked.Increment(ref _running);
        return true;
    }

    public void Finish()
    {
        Interlocked.Decrement(ref _running);
        _slots.Release();
    }

    public void AddKvTokens(int tokens) => Interlocked.Add(ref _kvTokens, tokens);
}

internal enum InjectedFailure
{
    None,
    InternalError,
    Unavailable,
    RateLimited,
    DropConnection,
}
