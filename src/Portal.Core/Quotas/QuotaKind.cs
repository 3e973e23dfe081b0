namespace Portal.Core.Quotas;

/// <summary>The limits a tenant stays inside.</summary>
public enum QuotaKind
{
    GpusInUse,
    ReplicasPerDeployment,
    Deployments,
    Endpoints,
    ApiKeys,
    Webhooks,
    Pipelines,
}

public static class QuotaNames
{
    /// <summary>The quota's name as messages and the console say it.</summary>
    public static string Display(QuotaKind kind) => kind switch
    {
        QuotaKind.GpusInUse => "GPUs in use",
        QuotaKind.ReplicasPerDeployment => "replicas per deployment",
        QuotaKind.Deployments => "deployments",
        QuotaKind.Endpoints => "endpoints",
        QuotaKind.ApiKeys => "API keys",
        QuotaKind.Webhooks => "webhooks",
        QuotaKind.Pipelines => "pipelines",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The quota's key in the API (camelCase of the kind).</summary>
    public static string Key(QuotaKind kind) => kind.ToString() is var name ? char.ToLowerInvariant(name[0]) + name[1..] : "";
}
