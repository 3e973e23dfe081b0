namespace Portal.Gateway;

/// <summary>Counts the host can show or export; the same numbers also go out as OpenTelemetry counters.</summary>
public sealed class GatewayCounters
{
    private long _shadowStarted;
    private long _shadowDropped;

    /// <summary>Shadow copies sent since start.</summary>
    public long ShadowCopiesStarted => Interlocked.Read(ref _shadowStarted);

    /// <summary>Sampled shadow copies not sent because too many were in flight.</summary>
    public long ShadowCopiesDropped => Interlocked.Read(ref _shadowDropped);

    internal void ShadowStarted() => Interlocked.Increment(ref _shadowStarted);

    internal void ShadowDropped() => Interlocked.Increment(ref _shadowDropped);
}
