using Portal.Runtimes.Local;

namespace Portal.Runtimes.Tests.Local;

public sealed class GpuReservationsTests
{
    private static readonly int[] _eightGpus = [0, 1, 2, 3, 4, 5, 6, 7];

    [Fact]
    public void Replicas_GetDisjointSets_LowestFreeFirst()
    {
        var gpus = new GpuReservations(_eightGpus, () => []);

        Assert.Equal([0, 1, 2, 3], gpus.Reserve("r-a", 4));
        Assert.Equal([4, 5], gpus.Reserve("r-b", 2));
        Assert.Equal([6], gpus.Reserve("r-c", 1));
    }

    [Fact]
    public void ConcurrentReservations_NeverShareADevice()
    {
        var gpus = new GpuReservations(_eightGpus, () => []);
        var sets = new IReadOnlyList<int>?[4];

        Parallel.For(0, sets.Length, new ParallelOptions { MaxDegreeOfParallelism = sets.Length }, i => sets[i] = gpus.Reserve($"r-{i}", 2));

        var devices = sets.SelectMany(s => Assert.IsAssignableFrom<IReadOnlyList<int>>(s)).ToList();
        Assert.Equal(_eightGpus, devices.Order());
    }

    [Fact]
    public void Release_FreesTheSetForTheNextReplica()
    {
        var gpus = new GpuReservations([0, 1], () => []);
        gpus.Reserve("r-a", 1);
        gpus.Reserve("r-b", 1);
        Assert.Throws<InvalidOperationException>(() => gpus.Reserve("r-c", 1));

        gpus.Release("r-a");

        Assert.Equal([0], gpus.Reserve("r-c", 1));
    }

    [Fact]
    public void ExhaustedPool_IsRefusedWithTheNumbersAndTheSetting()
    {
        var gpus = new GpuReservations([0, 1, 2, 3], () => [0, 1]);
        gpus.Reserve("r-a", 1);

        var error = Assert.Throws<InvalidOperationException>(() => gpus.Reserve("r-b", 2));

        Assert.Equal("No 2 GPU(s) free on this host: 3 of the 4 in Runtimes:Local:GpuDevices are held by other replicas, and a replica never shares a GPU.",
            error.Message);
        // A refused reservation holds nothing: one device is still free.
        Assert.Equal([3], gpus.Reserve("r-c", 1));
    }

    [Fact]
    public void DevicesOfRunningReplicas_AreAdopted_AndFreeAgainOnceTheyStop()
    {
        var running = new List<int> { 0, 1 };
        var gpus = new GpuReservations([0, 1, 2, 3], () => running);

        Assert.Equal([2, 3], gpus.Reserve("r-a", 2));
        running.AddRange([2, 3]);
        gpus.Release("r-a");
        running.RemoveAll(d => d < 2);

        Assert.Equal([0, 1], gpus.Reserve("r-b", 2));
        Assert.Throws<InvalidOperationException>(() => gpus.Reserve("r-c", 1));
    }

    [Fact]
    public void WithoutConfiguredGpus_NothingIsReserved()
    {
        var gpus = new GpuReservations([], () => throw new InvalidOperationException("not consulted"));

        Assert.Null(gpus.Reserve("r-a", 8));
    }
}
