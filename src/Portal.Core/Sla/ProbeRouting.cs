namespace Portal.Core.Sla;

/// <summary>Which replicas the gateway may send traffic to, given what the probes say.</summary>
public static class ProbeRouting
{
    /// <summary>
    /// The replicas whose latest probe did not fail. When every replica failed, all are kept: the probes themselves
    /// may be what is broken, and refusing every request would turn a probe fault into an outage.
    /// </summary>
    public static IReadOnlyList<T> Routable<T>(IReadOnlyList<T> replicas, Func<T, bool> failing)
    {
        ArgumentNullException.ThrowIfNull(replicas);
        ArgumentNullException.ThrowIfNull(failing);
        var healthy = replicas.Where(replica => !failing(replica)).ToList();
        return healthy.Count > 0 ? healthy : replicas;
    }
}
