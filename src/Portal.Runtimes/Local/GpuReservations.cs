using Portal.Core.Scaling;

namespace Portal.Runtimes.Local;

/// <summary>
/// Which of the host's GPUs (<see cref="LocalRuntimeOptions.GpuDevices"/>) local replicas hold: each a whole set of its
/// own, never shared (the choice is <see cref="GpuSets"/>). A running replica's set is adopted from its state file, so a
/// restarted portal sees the sets of the replicas it finds, and a replica that stopped or died frees its set without
/// anyone releasing it. A reservation covers the time in between: from choosing a set for a replica until its state file
/// names it (or its start fails), when the runtime releases it. Safe to call from several starts at once.
/// </summary>
internal sealed class GpuReservations
{
    private readonly IReadOnlyCollection<int> _devices;
    private readonly Func<IEnumerable<int>> _adopted;
    private readonly Dictionary<string, IReadOnlyList<int>> _reserved = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    /// <param name="devices">The host's GPU indexes replicas may use; empty = GPUs are not assigned.</param>
    /// <param name="adopted">The devices that running replicas' state files name, read afresh on every reservation.</param>
    public GpuReservations(IReadOnlyCollection<int> devices, Func<IEnumerable<int>> adopted)
    {
        _devices = devices;
        _adopted = adopted;
    }

    /// <summary>
    /// The lowest-numbered free set of <paramref name="count"/> devices, held for the replica until <see cref="Release"/>;
    /// null when GPUs are not assigned. Throws when no such set is free: a replica never shares a GPU.
    /// </summary>
    public IReadOnlyList<int>? Reserve(string replicaId, int count)
    {
        if (_devices.Count == 0)
        {
            return null;
        }

        lock (_lock)
        {
            var taken = _adopted().Concat(_reserved.Values.SelectMany(d => d)).ToList();
            var devices = GpuSets.Reserve(_devices, taken, count)
                ?? throw new InvalidOperationException(
                    $"No {count} GPU(s) free on this host: {taken.Distinct().Count()} of the {_devices.Distinct().Count()} in " +
                    "Runtimes:Local:GpuDevices are held by other replicas, and a replica never shares a GPU.");
            _reserved[replicaId] = devices;
            return devices;
        }
    }

    /// <summary>Ends the replica's reservation: its state file holds the set now, or it did not start. Releasing twice is harmless.</summary>
    public void Release(string replicaId)
    {
        lock (_lock)
        {
            _reserved.Remove(replicaId);
        }
    }
}
