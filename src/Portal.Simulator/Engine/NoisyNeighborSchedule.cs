namespace Portal.Simulator.Engine;

/// <summary>
/// Episodes when other tenants on the shared pool slow everyone down: starts form a Poisson process over simulated
/// time (mean gap <c>meanInterval</c> between the end of one and the start of the next), each lasting <c>duration</c>.
/// Generated lazily from the seed, so a run is repeatable.
/// </summary>
internal sealed class NoisyNeighborSchedule
{
    private readonly double _meanInterval;
    private readonly double _duration;
    private readonly Lock _lock = new();
    private DeterministicRandom _random;
    private double _start;
    private double _end;

    public NoisyNeighborSchedule(double meanIntervalSeconds, double durationSeconds, int seed)
    {
        _meanInterval = meanIntervalSeconds;
        _duration = durationSeconds;
        _random = DeterministicRandom.For(seed, -1);
        if (Enabled)
        {
            _start = _random.NextExponential(_meanInterval);
            _end = _start + _duration;
        }
    }

    public bool Enabled => _meanInterval > 0 && _duration > 0;

    /// <summary>Whether an episode covers simulated time <paramref name="seconds"/>; callers ask in roughly increasing time.</summary>
    public bool IsActive(double seconds)
    {
        if (!Enabled)
        {
            return false;
        }

        lock (_lock)
        {
            while (seconds >= _end)
            {
                _start = _end + _random.NextExponential(_meanInterval);
                _end = _start + _duration;
            }

            return seconds >= _start;
        }
    }
}
