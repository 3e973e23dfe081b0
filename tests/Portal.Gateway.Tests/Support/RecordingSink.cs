using System.Collections.Concurrent;
using Portal.Core.Gateway;
using Portal.Gateway.Seams;

namespace Portal.Gateway.Tests.Support;

/// <summary>The host's role: persisted samples, kept in memory. Can be slowed down or held closed.</summary>
internal sealed class RecordingSink : ISampleSink
{
    private readonly ConcurrentQueue<RequestSample> _samples = new();
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordingSink(bool open = true, TimeSpan? delayPerBatch = null)
    {
        DelayPerBatch = delayPerBatch ?? TimeSpan.Zero;
        if (open)
        {
            _open.SetResult();
        }
    }

    public TimeSpan DelayPerBatch { get; }

    public int Batches { get; private set; }

    public IReadOnlyList<RequestSample> Samples => [.. _samples];

    public void Open() => _open.TrySetResult();

    public async Task WriteBatchAsync(IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken)
    {
        await _open.Task;
        if (DelayPerBatch > TimeSpan.Zero)
        {
            await Task.Delay(DelayPerBatch, CancellationToken.None);
        }

        foreach (var sample in samples)
        {
            _samples.Enqueue(sample);
        }

        Batches++;
    }

    /// <summary>Waits until at least <paramref name="count"/> samples match, or fails after <paramref name="timeout"/>.</summary>
    public async Task<IReadOnlyList<RequestSample>> WaitForAsync(int count, Func<RequestSample, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var matching = Samples.Where(match ?? (_ => true)).ToList();
            if (matching.Count >= count)
            {
                return matching;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Expected {count} samples, have {matching.Count} after waiting.");
            }

            await Task.Delay(20);
        }
    }
}
