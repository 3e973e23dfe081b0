namespace Portal.Data.Entities;

/// <summary>A tenant's own quotas, set by a platform operator. A null limit keeps the platform default (<c>Quotas:Defaults</c>).</summary>
public sealed class TenantQuota
{
    public Guid TenantId { get; set; }

    public int? GpusInUse { get; set; }
    public int? ReplicasPerDeployment { get; set; }
    public int? Deployments { get; set; }
    public int? Endpoints { get; set; }
    public int? ApiKeys { get; set; }
    public int? Webhooks { get; set; }
    public int? Pipelines { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}
