using Portal.Core.Catalog;
using Portal.Core.Gateway;

namespace Portal.Core.Residency;

/// <summary>A deployment a lock change would leave outside its allowed regions.</summary>
/// <param name="Regions">Its home region and the regions of its live replicas that fall outside.</param>
public sealed record StrandedDeployment(Guid DeploymentId, string Name, IReadOnlyList<string> Regions);

/// <summary>A deployment as a lock change sees it: where it lives and which endpoints route to it.</summary>
public sealed record LockedDeployment(Guid DeploymentId, string Name, string HomeRegion, IReadOnlyList<string> ReplicaRegions,
    IReadOnlyList<Guid> EndpointIds);

/// <summary>
/// The one residency rule: the effective lock of a deployment is the tenant's residency policy intersected with the
/// locks of every endpoint that routes to it (<c>null</c> = unlocked, an empty set allows nothing). An endpoint lock
/// must lie within the tenant policy. A lock change that would leave a running deployment outside its effective lock
/// is refused, naming the deployments.
/// </summary>
public static class ResidencyRule
{
    /// <summary>Tenant policy ∩ each endpoint lock; <c>null</c> only when every part is unlocked.</summary>
    public static IReadOnlySet<string>? Effective(IReadOnlySet<string>? tenantPolicy, IEnumerable<IReadOnlySet<string>?> endpointLocks)
    {
        HashSet<string>? result = tenantPolicy is null ? null : new HashSet<string>(tenantPolicy, StringComparer.OrdinalIgnoreCase);
        foreach (var endpointLock in endpointLocks)
        {
            if (endpointLock is null)
            {
                continue;
            }

            if (result is null)
            {
                result = new HashSet<string>(endpointLock, StringComparer.OrdinalIgnoreCase);
            }
            else
            {
                result.IntersectWith(endpointLock);
            }
        }

        return result;
    }

    /// <summary>The regions a lock names: every region of the listed jurisdictions plus the listed regions.</summary>
    /// <exception cref="UnknownCatalogIdException">A region id the catalog does not know.</exception>
    public static IReadOnlySet<string> Resolve(ModelCatalog catalog, IEnumerable<Jurisdiction>? jurisdictions, IEnumerable<string>? regions)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var set = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var jurisdiction in jurisdictions ?? [])
        {
            set.UnionWith(catalog.Regions.Where(r => r.Jurisdiction == jurisdiction).Select(r => r.Id));
        }

        foreach (var id in regions ?? [])
        {
            set.Add(catalog.GetRegion(id.Trim()).Id);
        }

        return set;
    }

    /// <summary>Whether an endpoint lock lies within the tenant policy (anything lies within no policy).</summary>
    public static bool IsWithin(IReadOnlySet<string> endpointLock, IReadOnlySet<string>? tenantPolicy) =>
        tenantPolicy is null || endpointLock.All(r => RegionLock.Allows(tenantPolicy, r));

    /// <summary>
    /// The running deployments a proposed lock state would strand: home region or a live replica outside the effective
    /// lock computed from <paramref name="tenantPolicy"/> and <paramref name="endpointLock"/>.
    /// </summary>
    public static IReadOnlyList<StrandedDeployment> Stranded(
        IEnumerable<LockedDeployment> running, IReadOnlySet<string>? tenantPolicy, Func<Guid, IReadOnlySet<string>?> endpointLock)
    {
        var stranded = new List<StrandedDeployment>();
        foreach (var deployment in running)
        {
            var allowed = Effective(tenantPolicy, deployment.EndpointIds.Select(endpointLock));
            var outside = deployment.ReplicaRegions.Prepend(deployment.HomeRegion)
                .Where(r => !RegionLock.Allows(allowed, r))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (outside.Count > 0)
            {
                stranded.Add(new StrandedDeployment(deployment.DeploymentId, deployment.Name, outside));
            }
        }

        return stranded;
    }

    /// <summary>A lock as stored and shown: region ids, sorted, comma-separated; <c>null</c> for unlocked.</summary>
    public static string? Format(IReadOnlySet<string>? allowed) =>
        allowed is null ? null : string.Join(",", allowed.Order(StringComparer.OrdinalIgnoreCase));

    public static IReadOnlySet<string>? Parse(string? stored) =>
        stored is null ? null : new HashSet<string>(stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);
}
