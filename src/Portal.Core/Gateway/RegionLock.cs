namespace Portal.Core.Gateway;

/// <summary>
/// Residency: with a lock, nothing is routed, burst, shadowed or failed over to a region outside the allowed set.
/// No lock (<c>null</c>) allows every region; an empty set allows none.
/// </summary>
public static class RegionLock
{
    public static bool Allows(IReadOnlySet<string>? allowedRegions, string? region) =>
        allowedRegions is null || (region is not null && allowedRegions.Contains(region));
}
