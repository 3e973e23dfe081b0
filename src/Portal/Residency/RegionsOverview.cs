using Microsoft.EntityFrameworkCore;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Residency;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Residency;

public sealed record EndpointLockView(Guid EndpointId, string Name, IReadOnlyList<string>? Lock, IReadOnlyList<string>? Effective, string? PrimaryRegion);

public sealed record RegionDeploymentView(Guid Id, string Name, string Status, int LiveReplicas, int BurstReplicas);

/// <summary>One catalog region as the tenant sees it.</summary>
/// <param name="AllowedByPolicy">Inside the tenant's residency policy (true when there is none).</param>
/// <param name="LockedEndpoints">Endpoints whose effective lock includes this region.</param>
/// <param name="BurstGpus">Burst GPUs configured in this region by GPU type; empty when no burst pool is configured.</param>
public sealed record RegionRowView(
    string Id, string DisplayName, string Jurisdiction, bool AllowedByPolicy, IReadOnlyList<string> LockedEndpoints,
    IReadOnlyList<RegionDeploymentView> Deployments, IReadOnlyDictionary<string, int> BurstGpus);

public sealed record RegionsOverviewView(IReadOnlyList<string>? TenantPolicy, IReadOnlyList<EndpointLockView> Endpoints, IReadOnlyList<RegionRowView> Regions);

/// <summary>Reads the Regions page: each region with the tenant's lock, its deployments and the burst capacity in it.</summary>
public sealed class RegionsOverviewService(IDbContextFactory<PortalDbContext> dbFactory, ModelCatalog catalog, IConfiguration configuration)
{
    /// <summary>The burst capacity the platform configured, read locally: <c>Burst:Pools</c> = [{ Region, GpuType, Gpus }].</summary>
    private sealed record BurstPool(string? Region, string? GpuType, int Gpus);

    public async Task<ServiceResult<RegionsOverviewView>> GetAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<RegionsOverviewView>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var policy = await ResidencyLocks.TenantPolicyAsync(db, tenantId, ct);
        var locks = (await db.EndpointRegionLocks.AsNoTracking().Where(l => l.TenantId == tenantId).ToListAsync(ct))
            .ToDictionary(l => l.EndpointId, l => ResidencyRule.Parse(l.Regions));
        var endpoints = await db.Endpoints.AsNoTracking().Where(e => e.TenantId == tenantId)
            .Select(e => new { e.Id, e.Name, Region = e.PrimaryTarget!.Region }).OrderBy(e => e.Name).ToListAsync(ct);
        var endpointViews = endpoints.Select(e =>
        {
            var own = locks.GetValueOrDefault(e.Id);
            return new EndpointLockView(e.Id, e.Name, own?.Order().ToList(), ResidencyRule.Effective(policy, [own])?.Order().ToList(), e.Region);
        }).ToList();

        var deployments = await db.Deployments.AsNoTracking()
            .Where(d => d.TenantId == tenantId && d.Status != DeploymentStatus.Deleted)
            .Select(d => new
            {
                d.Id, d.Name, d.Region, d.Status,
                Replicas = d.Replicas.Where(r => r.Phase != ReplicaPhase.Stopped && r.Phase != ReplicaPhase.Failed)
                    .Select(r => new { r.Region, r.IsBurst }).ToList(),
            })
            .ToListAsync(ct);
        var pools = configuration.GetSection("Burst:Pools").Get<List<BurstPool>>() ?? [];

        var rows = catalog.Regions.Select(region => new RegionRowView(
            region.Id, region.DisplayName, region.Jurisdiction.ToString(), RegionLock.Allows(policy, region.Id),
            endpointViews.Where(e => e.Effective is not null && e.Effective.Contains(region.Id, StringComparer.OrdinalIgnoreCase)).Select(e => e.Name).ToList(),
            deployments
                .Where(d => string.Equals(d.Region, region.Id, StringComparison.OrdinalIgnoreCase)
                    || d.Replicas.Any(r => string.Equals(r.Region, region.Id, StringComparison.OrdinalIgnoreCase)))
                .Select(d =>
                {
                    var here = d.Replicas.Where(r => string.Equals(r.Region, region.Id, StringComparison.OrdinalIgnoreCase)).ToList();
                    return new RegionDeploymentView(d.Id, d.Name, d.Status.ToString(), here.Count, here.Count(r => r.IsBurst));
                })
                .OrderBy(d => d.Name).ToList(),
            pools.Where(p => string.Equals(p.Region, region.Id, StringComparison.OrdinalIgnoreCase) && p.GpuType is not null && p.Gpus > 0)
                .GroupBy(p => p.GpuType!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Sum(p => p.Gpus)))).ToList();

        return ServiceResult<RegionsOverviewView>.Ok(new RegionsOverviewView(policy?.Order().ToList(), endpointViews, rows));
    }
}
