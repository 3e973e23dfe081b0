using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Residency;
using Portal.Core.Scaling;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Residency;
using Portal.Runtimes;
using Portal.Runtimes.Kubernetes;

namespace Portal.Deployments;

/// <summary>
/// Where a burst replica goes: the burst pool of the deployment's own region first, then of the next-closest region
/// the deployment's region lock allows. The pools are shared by every tenant, so the GPUs in use are counted across all.
/// On Kubernetes a deployment is one Deployment object pinned to its region, so burst stays in the home region there.
/// </summary>
public sealed class BurstPlacement(IOptionsMonitor<BurstPoolOptions> pools, IResidencyLocks residency, ModelCatalog catalog, IReplicaRuntime runtime)
{
    /// <returns>The region, or null when no allowed region's pool has a whole GPU set free.</returns>
    public async Task<string?> ChooseRegionAsync(PortalDbContext db, Deployment deployment, CancellationToken ct) =>
        (await CapacityAsync(db, deployment, await residency.AllowedRegionsForDeploymentAsync(deployment.TenantId, deployment.Id, ct), ct)).Choose();

    /// <summary>The pools as the deployment sees them, counting the burst replicas saved so far.</summary>
    /// <param name="allowed">The deployment's effective region lock; null allows every region.</param>
    public async Task<BurstCapacity> CapacityAsync(PortalDbContext db, Deployment deployment, IReadOnlySet<string>? allowed, CancellationToken ct)
    {
        if (runtime.Kind == KubernetesRuntime.RuntimeKind)
        {
            allowed = RegionLock.Allows(allowed, deployment.Region) ? new HashSet<string> { deployment.Region } : new HashSet<string>();
        }

        var inUse = await db.Replicas.AsNoTracking()
            .Where(r => r.IsBurst && r.Phase != ReplicaPhase.Stopped && r.Deployment!.GpuType == deployment.GpuType)
            .GroupBy(r => r.Region)
            .Select(g => new { Region = g.Key, Gpus = g.Sum(r => r.Deployment!.GpusPerReplica) })
            .ToDictionaryAsync(x => x.Region, x => x.Gpus, StringComparer.OrdinalIgnoreCase, ct);
        return new BurstCapacity
        {
            Home = catalog.GetRegion(deployment.Region), Allowed = allowed, Pools = pools.CurrentValue,
            GpuType = deployment.GpuType, GpusPerReplica = deployment.GpusPerReplica, GpusInUse = inUse,
        };
    }
}
