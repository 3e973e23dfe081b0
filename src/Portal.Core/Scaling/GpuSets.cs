namespace Portal.Core.Scaling;

/// <summary>
/// Which GPUs of a host a new replica reserves: a whole set of its own, never a device another replica holds, so a
/// replica's GPUs are never shared with another deployment or tenant.
/// </summary>
public static class GpuSets
{
    /// <param name="devices">The host's GPU device indexes available to replicas.</param>
    /// <param name="taken">Devices the host's live replicas hold.</param>
    /// <param name="count">GPUs per replica.</param>
    /// <returns>The lowest-numbered free devices, or null when fewer than <paramref name="count"/> are free.</returns>
    public static IReadOnlyList<int>? Reserve(IReadOnlyCollection<int> devices, IEnumerable<int> taken, int count)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var held = taken.ToHashSet();
        var free = devices.Distinct().Where(d => !held.Contains(d)).Order().Take(count).ToList();
        return free.Count == count ? free : null;
    }
}
