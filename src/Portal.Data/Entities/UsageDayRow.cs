namespace Portal.Data.Entities;

/// <summary>
/// One UTC day of measured requests for one endpoint × key × model × tier: kept after the raw samples expire, so a
/// month's usage is a sum of these. Written whole for a day by the usage job (delete the day, insert it again).
/// </summary>
public sealed class UsageDayRow
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }

    /// <summary>00:00 UTC of the day.</summary>
    public DateTimeOffset Day { get; set; }

    /// <summary>Null for requests refused before an endpoint was chosen (an unknown model).</summary>
    public Guid? EndpointId { get; set; }

    public Guid KeyId { get; set; }
    public string? Model { get; set; }

    /// <summary>dedicated, serverless or shadow (<see cref="Portal.Core.Latency.ServingTier"/>).</summary>
    public required string Tier { get; set; }

    public long Requests { get; set; }
    public long Errors { get; set; }
    public long PromptTokens { get; set; }
    public long CompletionTokens { get; set; }

    /// <summary>Tokens served by serverless targets, priced at the target's prices when the day was written.</summary>
    public decimal ServerlessUsd { get; set; }
}
