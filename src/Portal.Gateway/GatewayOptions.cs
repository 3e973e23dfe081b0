using Portal.Core.Gateway;

namespace Portal.Gateway;

/// <summary>Gateway settings; bound from the <c>Gateway</c> configuration section by <c>AddPortalGateway</c>.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Upstream attempts per request, counting the first; failover happens only before the first response byte.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Time to open a connection to an upstream.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait for an upstream's response headers, or for any progress of a response body.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest silence inside a streamed response before the gateway ends it with an SSE error event.</summary>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long pooled upstream connections live, so DNS and replica changes are picked up.</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>TTFT above which a request is a cold-start event.</summary>
    public TimeSpan ColdStartThreshold { get; set; } = RequestTiming.DefaultColdStartThreshold;

    /// <summary><c>Retry-After</c> seconds sent with 503 when no allowed capacity exists.</summary>
    public int NoCapacityRetryAfterSeconds { get; set; } = 5;

    /// <summary>
    /// Requests a Ready replica may hold beyond its saturation bound (waiting in its engine's queue), e.g. while a burst
    /// replica is still loading; when every usable replica is at that bound, new requests get 429 with Retry-After.
    /// </summary>
    public int MaxQueuedPerReplica { get; set; } = 256;

    /// <summary><c>Retry-After</c> seconds sent with that 429.</summary>
    public int QueueFullRetryAfterSeconds { get; set; } = 1;

    /// <summary>Shadow copies allowed in flight at once; further sampled copies are dropped and counted.</summary>
    public int MaxConcurrentShadowCopies { get; set; } = 64;

    /// <summary>Longest a shadow copy may take in total before it is abandoned.</summary>
    public TimeSpan ShadowTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Samples waiting to be written; when full, new samples are dropped and counted, never waited for.</summary>
    public int SampleQueueCapacity { get; set; } = 100_000;

    /// <summary>Most samples handed to the sink in one batch.</summary>
    public int SampleBatchSize { get; set; } = 2000;

    /// <summary>Pause between batches while the queue holds less than a full batch.</summary>
    public TimeSpan SampleFlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        Require(MaxRequestBodyBytes > 0, nameof(MaxRequestBodyBytes));
        Require(MaxAttempts >= 1, nameof(MaxAttempts));
        Require(ConnectTimeout > TimeSpan.Zero, nameof(ConnectTimeout));
        Require(UpstreamTimeout > TimeSpan.Zero, nameof(UpstreamTimeout));
        Require(StreamIdleTimeout > TimeSpan.Zero && StreamIdleTimeout < UpstreamTimeout, nameof(StreamIdleTimeout));
        Require(MaxConcurrentShadowCopies >= 0, nameof(MaxConcurrentShadowCopies));
        Require(SampleQueueCapacity >= 1, nameof(SampleQueueCapacity));
        Require(SampleBatchSize >= 1, nameof(SampleBatchSize));
        Require(NoCapacityRetryAfterSeconds >= 1, nameof(NoCapacityRetryAfterSeconds));
        Require(MaxQueuedPerReplica >= 0, nameof(MaxQueuedPerReplica));
        Require(QueueFullRetryAfterSeconds >= 1, nameof(QueueFullRetryAfterSeconds));
    }

    private static void Require(bool condition, string name)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Gateway option {name} is out of range.");
        }
    }
}
