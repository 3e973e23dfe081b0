namespace Portal.Residency;

/// <summary>
/// The effective region lock for a tenant and for each deployment: the tenant's residency policy intersected with the
/// locks of the endpoints that route to the deployment. <c>null</c> means unlocked. Everything that places or routes
/// asks this one service, so a lock holds on every path.
/// </summary>
public interface IResidencyLocks
{
    /// <summary>Regions the tenant's residency policy allows, or <c>null</c> when the tenant has none.</summary>
    ValueTask<IReadOnlySet<string>?> AllowedRegionsForTenantAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>Regions a deployment's replicas (baseline and burst) may run in, or <c>null</c> when unlocked.</summary>
    ValueTask<IReadOnlySet<string>?> AllowedRegionsForDeploymentAsync(Guid tenantId, Guid deploymentId, CancellationToken cancellationToken = default);
}

/// <summary>Until a tenant sets a residency policy, nothing is locked.</summary>
public sealed class UnlockedResidency : IResidencyLocks
{
    public ValueTask<IReadOnlySet<string>?> AllowedRegionsForTenantAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlySet<string>?>(null);

    public ValueTask<IReadOnlySet<string>?> AllowedRegionsForDeploymentAsync(Guid tenantId, Guid deploymentId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlySet<string>?>(null);
}
