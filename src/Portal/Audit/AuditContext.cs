using System.Diagnostics;

namespace Portal.Audit;

/// <summary>
/// Where the current operation comes from. Filled per HTTP request by middleware, and once per Blazor circuit
/// from the address of the request that opened it (a circuit has no HttpContext of its own).
/// </summary>
public sealed class AuditContext
{
    public string ClientIp { get; set; } = "unknown";

    private string? _correlationId;

    public string CorrelationId
    {
        get => _correlationId ?? Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("n");
        set => _correlationId = value;
    }
}
