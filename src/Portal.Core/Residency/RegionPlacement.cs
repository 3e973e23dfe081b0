using Portal.Core.Catalog;
using Portal.Core.Gateway;

namespace Portal.Core.Residency;

/// <summary>
/// Where a new replica may be placed. The home region first, then every other region in nearest-first order; a region
/// outside the lock is never chosen, whatever capacity it has. No allowed region with capacity means no placement
/// (the caller answers 503 with Retry-After, never a foreign region).
/// </summary>
public static class RegionPlacement
{
    /// <param name="home">The deployment's own region.</param>
    /// <param name="allowedRegions">The effective lock; <c>null</c> allows every region.</param>
    /// <param name="hasCapacity">Whether a region can take one more replica now.</param>
    /// <returns>The chosen region id, or <c>null</c> when no allowed region has capacity.</returns>
    public static string? Choose(Region home, IReadOnlySet<string>? allowedRegions, Func<string, bool> hasCapacity)
    {
        ArgumentNullException.ThrowIfNull(home);
        ArgumentNullException.ThrowIfNull(hasCapacity);
        foreach (var id in Order(home))
        {
            if (RegionLock.Allows(allowedRegions, id) && hasCapacity(id))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>The home region, then the others nearest first.</summary>
    public static IEnumerable<string> Order(Region home)
    {
        yield return home.Id;
        foreach (var id in home.Nearest)
        {
            yield return id;
        }
    }
}
