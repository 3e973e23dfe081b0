namespace Portal.Core.Quotas;

/// <summary>What a tenant holds now, counted the way <see cref="QuotaRule"/> limits it.</summary>
public sealed record QuotaUsage
{
    public static QuotaUsage None { get; } = new();

    public int GpusInUse { get; init; }

    /// <summary>The largest maximum replica count among the tenant's deployments (the quota applies to each one).</summary>
    public int ReplicasPerDeployment { get; init; }

    public int Deployments { get; init; }
    public int Endpoints { get; init; }
    public int ApiKeys { get; init; }
    public int Webhooks { get; init; }
    public int Pipelines { get; init; }

    public int this[QuotaKind kind] => kind switch
    {
        QuotaKind.GpusInUse => GpusInUse,
        QuotaKind.ReplicasPerDeployment => ReplicasPerDeployment,
        QuotaKind.Deployments => Deployments,
        QuotaKind.Endpoints => Endpoints,
        QuotaKind.ApiKeys => ApiKeys,
        QuotaKind.Webhooks => Webhooks,
        QuotaKind.Pipelines => Pipelines,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>
    /// Usage from the tenant's deployments. GPUs count max replicas (burst included) × GPUs per replica: burst replicas
    /// take whole GPUs from the pools when they start, and a quota that counted only the baseline would let a tenant
    /// claim its burst capacity without limit. A stopped deployment keeps its claim, so starting it again never exceeds.
    /// </summary>
    public static QuotaUsage From(IEnumerable<DeploymentClaim> deployments, int endpoints, int apiKeys, int webhooks, int pipelines)
    {
        var list = deployments.ToList();
        return new QuotaUsage
        {
            GpusInUse = list.Sum(d => d.GpusClaimed),
            ReplicasPerDeployment = list.Count == 0 ? 0 : list.Max(d => d.MaxReplicas),
            Deployments = list.Count,
            Endpoints = endpoints,
            ApiKeys = apiKeys,
            Webhooks = webhooks,
            Pipelines = pipelines,
        };
    }
}

/// <summary>The part of a deployment quotas look at.</summary>
public sealed record DeploymentClaim(int BaselineReplicas, int MaxReplicas, int GpusPerReplica)
{
    public int GpusClaimed => Math.Max(BaselineReplicas, MaxReplicas) * GpusPerReplica;
}
