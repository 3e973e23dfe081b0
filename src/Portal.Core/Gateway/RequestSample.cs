namespace Portal.Core.Gateway;

/// <summary>
/// What the gateway keeps about one inference request: metadata and timings only. It never holds prompt or completion
/// text, request or response bodies, keys or headers (zero retention).
/// </summary>
public sealed record RequestSample
{
    /// <summary>When the gateway received the request (UTC).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public required Guid TenantId { get; init; }

    public required Guid KeyId { get; init; }

    public required GatewayOperation Operation { get; init; }

    /// <summary>The model the caller asked for (the endpoint's name); null when the body named none.</summary>
    public string? Model { get; init; }

    public Guid? EndpointId { get; init; }

    public Guid? TargetId { get; init; }

    /// <summary>Dedicated or serverless: the kind of the target that served the request.</summary>
    public TargetKind? Tier { get; init; }

    public string? ReplicaId { get; init; }

    public string? Region { get; init; }

    /// <summary>Served by a burst replica.</summary>
    public bool Burst { get; init; }

    /// <summary>A shadow copy: its response was measured and discarded.</summary>
    public bool Shadow { get; init; }

    /// <summary>HTTP status the caller saw (for a shadow copy: the status the shadow target answered).</summary>
    public required int StatusCode { get; init; }

    /// <summary>Set when the gateway refused or ended the request itself, e.g. <c>model_not_found</c> or <c>upstream_stream_error</c>.</summary>
    public string? ErrorCode { get; init; }

    public bool Streamed { get; init; }

    public double? TtftMs { get; init; }

    public double? ItlMeanMs { get; init; }

    public double? ItlP99Ms { get; init; }

    public double? TpotMs { get; init; }

    public required double EndToEndMs { get; init; }

    public int? PromptTokens { get; init; }

    public int? CompletionTokens { get; init; }

    /// <summary>SSE chunks that carried generated content.</summary>
    public int ContentChunks { get; init; }

    public bool ColdStart { get; init; }

    /// <summary>Upstream attempts made (more than one after a failover).</summary>
    public int Attempts { get; init; }

    /// <summary>
    /// The migration dry run that replayed this request; null for production traffic. A dry run's samples are never
    /// stored with production's (see <c>DatabaseSampleSink</c>).
    /// </summary>
    public Guid? DryRunId { get; init; }
}
