using Portal.Core.Gateway;

namespace Portal.Data.Entities;

/// <summary>
/// One request the gateway measured: metadata and timings only. No prompt, completion or body is ever stored.
/// </summary>
public sealed class RequestSampleRow
{
    public long Id { get; set; }
    public DateTimeOffset Timestamp { get; set; }
    public Guid TenantId { get; set; }
    public Guid KeyId { get; set; }
    public GatewayOperation Operation { get; set; }
    public string? Model { get; set; }
    public Guid? EndpointId { get; set; }
    public Guid? TargetId { get; set; }
    public TargetKind? Tier { get; set; }
    public string? ReplicaId { get; set; }
    public string? Region { get; set; }
    public bool Burst { get; set; }
    public bool Shadow { get; set; }
    public int StatusCode { get; set; }
    public string? ErrorCode { get; set; }
    public bool Streamed { get; set; }
    public double? TtftMs { get; set; }
    public double? ItlMeanMs { get; set; }
    public double? ItlP99Ms { get; set; }
    public double? TpotMs { get; set; }
    public double EndToEndMs { get; set; }
    public int? PromptTokens { get; set; }
    public int? CompletionTokens { get; set; }
    public bool ColdStart { get; set; }
    public int Attempts { get; set; }

    public static RequestSampleRow From(RequestSample s) => new()
    {
        Timestamp = s.Timestamp, TenantId = s.TenantId, KeyId = s.KeyId, Operation = s.Operation, Model = s.Model,
        EndpointId = s.EndpointId, TargetId = s.TargetId, Tier = s.Tier, ReplicaId = s.ReplicaId, Region = s.Region, Burst = s.Burst,
        Shadow = s.Shadow, StatusCode = s.StatusCode, ErrorCode = s.ErrorCode, Streamed = s.Streamed, TtftMs = s.TtftMs,
        ItlMeanMs = s.ItlMeanMs, ItlP99Ms = s.ItlP99Ms, TpotMs = s.TpotMs, EndToEndMs = s.EndToEndMs, PromptTokens = s.PromptTokens,
        CompletionTokens = s.CompletionTokens, ColdStart = s.ColdStart, Attempts = s.Attempts,
    };
}
