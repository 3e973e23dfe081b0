using System.Globalization;
using Portal.Core.Deployments;

namespace Portal.Core.Quotas;

/// <summary>A change refused by a quota: which one, its limit, what is in use and what was asked for.</summary>
/// <param name="Field">The field of a deployment spec the refusal belongs to (<see cref="DeploymentFields"/>); null for a count.</param>
public sealed record QuotaRefusal(QuotaKind Quota, int Limit, int InUse, int Requested, string Message, string? Field = null)
{
    public string QuotaName => QuotaNames.Display(Quota);
}

/// <summary>
/// Does a change exceed a quota, and by what? Current use + the requested change + the limits → the refusals. A change
/// that lands exactly on a limit is allowed.
/// </summary>
public static class QuotaRule
{
    /// <summary>
    /// A deployment being created (<paramref name="isNew"/>) or changed. <paramref name="others"/> is the tenant's use
    /// without this deployment, so a scale of an existing one is judged on its new size alone.
    /// A new deployment also brings an endpoint.
    /// </summary>
    public static IReadOnlyList<QuotaRefusal> CheckDeployment(QuotaLimits limits, QuotaUsage others, DeploymentClaim requested, bool isNew)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(requested);

        var refusals = new List<QuotaRefusal>();
        if (isNew)
        {
            AddCount(refusals, QuotaKind.Deployments, limits, others, 1, DeploymentFields.Name);
            AddCount(refusals, QuotaKind.Endpoints, limits, others, 1, DeploymentFields.Name);
        }

        var replicaLimit = limits.ReplicasPerDeployment;
        if (requested.BaselineReplicas > replicaLimit)
        {
            refusals.Add(new QuotaRefusal(QuotaKind.ReplicasPerDeployment, replicaLimit, others.ReplicasPerDeployment, requested.BaselineReplicas,
                $"quota '{QuotaNames.Display(QuotaKind.ReplicasPerDeployment)}' is {N(replicaLimit)}; requested {N(requested.BaselineReplicas)} baseline replicas.", DeploymentFields.BaselineReplicas));
        }

        if (requested.MaxReplicas > replicaLimit)
        {
            refusals.Add(new QuotaRefusal(QuotaKind.ReplicasPerDeployment, replicaLimit, others.ReplicasPerDeployment, requested.MaxReplicas,
                $"quota '{QuotaNames.Display(QuotaKind.ReplicasPerDeployment)}' is {N(replicaLimit)}; requested {N(requested.MaxReplicas)} maximum replicas.", DeploymentFields.MaxReplicas));
        }

        var gpus = requested.GpusClaimed;
        if ((long)others.GpusInUse + gpus > limits.GpusInUse)
        {
            refusals.Add(new QuotaRefusal(QuotaKind.GpusInUse, limits.GpusInUse, others.GpusInUse, gpus,
                $"quota '{QuotaNames.Display(QuotaKind.GpusInUse)}' is {N(limits.GpusInUse)}; {N(others.GpusInUse)} in use by other deployments, "
                + $"this one claims {N(gpus)} ({N(Math.Max(requested.BaselineReplicas, requested.MaxReplicas))} replicas at most, burst included, "
                + $"× {N(requested.GpusPerReplica)} GPUs).", DeploymentFields.MaxReplicas));
        }

        return refusals;
    }

    /// <summary>Adding <paramref name="adding"/> of a counted thing (deployments, endpoints, keys, webhooks, pipelines).</summary>
    public static QuotaRefusal? CheckCount(QuotaKind kind, QuotaLimits limits, QuotaUsage usage, int adding = 1)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(usage);
        if (kind is QuotaKind.GpusInUse or QuotaKind.ReplicasPerDeployment)
        {
            throw new ArgumentException($"{kind} is not a count; use {nameof(CheckDeployment)}.", nameof(kind));
        }

        var refusals = new List<QuotaRefusal>();
        AddCount(refusals, kind, limits, usage, adding);
        return refusals.FirstOrDefault();
    }

    private static void AddCount(List<QuotaRefusal> refusals, QuotaKind kind, QuotaLimits limits, QuotaUsage usage, int adding, string? field = null)
    {
        var limit = limits[kind];
        var inUse = usage[kind];
        if ((long)inUse + adding > limit)
        {
            refusals.Add(new QuotaRefusal(kind, limit, inUse, adding,
                $"quota '{QuotaNames.Display(kind)}' is {N(limit)}; {N(inUse)} in use, so {(adding == 1 ? "one more" : N(adding) + " more")} would exceed it.", field));
        }
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
