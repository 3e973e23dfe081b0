using Microsoft.EntityFrameworkCore;
using Portal.Core.Residency;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Residency;

/// <summary>
/// The stored residency policies and endpoint locks, read through the one rule in Core
/// (<see cref="ResidencyRule.Effective"/>). Reads the database on every call: placements and validations are rare
/// next to requests, and the gateway reads its locks with its own snapshot (<see cref="EndpointLocksAsync"/>).
/// </summary>
public sealed class ResidencyLocks(IDbContextFactory<PortalDbContext> dbFactory) : IResidencyLocks
{
    public async ValueTask<IReadOnlySet<string>?> AllowedRegionsForTenantAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await TenantPolicyAsync(db, tenantId, cancellationToken);
    }

    public async ValueTask<IReadOnlySet<string>?> AllowedRegionsForDeploymentAsync(Guid tenantId, Guid deploymentId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await TenantPolicyAsync(db, tenantId, cancellationToken);
        var locks = await (
                from l in db.EndpointRegionLocks
                join e in db.Endpoints on l.EndpointId equals e.Id
                where l.TenantId == tenantId && e.TenantId == tenantId && db.Targets.Any(t => t.DeploymentId == deploymentId
                    && (t.Id == e.PrimaryTargetId || t.Id == e.SecondaryTargetId))
                select l.Regions)
            .ToListAsync(cancellationToken);
        return ResidencyRule.Effective(tenant, locks.Select(ResidencyRule.Parse));
    }

    /// <summary>Every endpoint's effective lock (tenant policy ∩ its own lock); endpoints absent from the map are unlocked.</summary>
    public static async Task<IReadOnlyDictionary<Guid, IReadOnlySet<string>>> EndpointLocksAsync(PortalDbContext db, CancellationToken ct)
    {
        var policies = (await db.ResidencyPolicies.AsNoTracking().ToListAsync(ct)).ToDictionary(p => p.TenantId, p => ResidencyRule.Parse(p.Regions));
        var locks = (await db.EndpointRegionLocks.AsNoTracking().ToListAsync(ct)).ToDictionary(l => l.EndpointId, l => ResidencyRule.Parse(l.Regions));
        var endpoints = await db.Endpoints.AsNoTracking().Select(e => new { e.Id, e.TenantId }).ToListAsync(ct);
        var result = new Dictionary<Guid, IReadOnlySet<string>>();
        foreach (var endpoint in endpoints)
        {
            if (ResidencyRule.Effective(policies.GetValueOrDefault(endpoint.TenantId), [locks.GetValueOrDefault(endpoint.Id)]) is { } allowed)
            {
                result[endpoint.Id] = allowed;
            }
        }

        return result;
    }

    internal static async Task<IReadOnlySet<string>?> TenantPolicyAsync(PortalDbContext db, Guid tenantId, CancellationToken ct) =>
        ResidencyRule.Parse(await db.ResidencyPolicies.Where(p => p.TenantId == tenantId).Select(p => p.Regions).SingleOrDefaultAsync(ct));
}
