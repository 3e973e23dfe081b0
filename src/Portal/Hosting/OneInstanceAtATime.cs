using Hangfire;
using Hangfire.Storage;

namespace Portal.Hosting;

/// <summary>
/// A recurring job's tick that only one portal instance may run at a time: the tick holds a distributed lock of the
/// job storage, and an instance that finds it held skips its turn instead of waiting (the next tick comes soon).
/// </summary>
public static class OneInstanceAtATime
{
    /// <summary>Runs <paramref name="tick"/> unless another instance holds <paramref name="resource"/>; false when skipped.</summary>
    public static async Task<bool> RunAsync(JobStorage storage, string resource, Func<Task> tick)
    {
        ArgumentNullException.ThrowIfNull(tick);
        return await RunAsync(storage, resource, async () =>
        {
            await tick();
            return (bool?)true;
        }) ?? false;
    }

    /// <summary>The tick's result, or null when another instance holds <paramref name="resource"/>.</summary>
    public static async Task<T?> RunAsync<T>(JobStorage storage, string resource, Func<Task<T?>> tick)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(tick);
        using var connection = storage.GetConnection();
        IDisposable held;
        try
        {
            held = connection.AcquireDistributedLock(resource, TimeSpan.Zero);
        }
        catch (DistributedLockTimeoutException)
        {
            return null;
        }

        using (held)
        {
            return await tick();
        }
    }
}
