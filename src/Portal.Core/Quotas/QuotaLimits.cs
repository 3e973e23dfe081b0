namespace Portal.Core.Quotas;

/// <summary>What a tenant may hold at most. One value per <see cref="QuotaKind"/>.</summary>
public sealed record QuotaLimits
{
    /// <summary>
    /// Platform defaults for a self-hosted platform: one team's working set of dedicated endpoints on a few GPU nodes.
    /// Configuration (<c>Quotas:Defaults</c>) replaces them; an operator raises or lowers them per tenant.
    /// </summary>
    public static QuotaLimits Default { get; } = new();

    /// <summary>GPUs all the tenant's deployments may claim: each claims max replicas (burst included) × GPUs per replica.</summary>
    public int GpusInUse { get; init; } = 64;

    /// <summary>Baseline and maximum replicas of one deployment.</summary>
    public int ReplicasPerDeployment { get; init; } = 16;

    public int Deployments { get; init; } = 20;

    /// <summary>Endpoints of every kind; each dedicated deployment brings one.</summary>
    public int Endpoints { get; init; } = 50;

    public int ApiKeys { get; init; } = 100;

    public int Webhooks { get; init; } = 10;

    public int Pipelines { get; init; } = 20;

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

    /// <summary>These limits with a tenant's overrides applied; a null override keeps the default.</summary>
    public QuotaLimits With(QuotaOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        return new QuotaLimits
        {
            GpusInUse = overrides.GpusInUse ?? GpusInUse,
            ReplicasPerDeployment = overrides.ReplicasPerDeployment ?? ReplicasPerDeployment,
            Deployments = overrides.Deployments ?? Deployments,
            Endpoints = overrides.Endpoints ?? Endpoints,
            ApiKeys = overrides.ApiKeys ?? ApiKeys,
            Webhooks = overrides.Webhooks ?? Webhooks,
            Pipelines = overrides.Pipelines ?? Pipelines,
        };
    }
}

/// <summary>A tenant's own limits, set by a platform operator; null keeps the platform default.</summary>
public sealed record QuotaOverrides
{
    public int? GpusInUse { get; init; }
    public int? ReplicasPerDeployment { get; init; }
    public int? Deployments { get; init; }
    public int? Endpoints { get; init; }
    public int? ApiKeys { get; init; }
    public int? Webhooks { get; init; }
    public int? Pipelines { get; init; }

    public int? this[QuotaKind kind] => kind switch
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
}

/// <summary>Configuration section <c>Quotas</c>: the platform defaults under <c>Quotas:Defaults</c>.</summary>
public sealed class QuotaOptions
{
    public const string SectionName = "Quotas";

    // A fresh instance: the binder writes into it, and the shared Default must never change.
    public QuotaLimits Defaults { get; set; } = new();
}
