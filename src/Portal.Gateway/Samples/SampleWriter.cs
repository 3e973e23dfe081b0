using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Gateway;
using Portal.Gateway.Seams;

namespace Portal.Gateway.Samples;

/// <summary>
/// Drains the sample queue into <see cref="ISampleSink"/> in batches. On a graceful stop it keeps going until the queue
/// is empty: the web server stops first (registered last, stopped first), so in-flight requests have queued their samples.
/// </summary>
internal sealed partial class SampleWriter(
    SampleQueue queue, ISampleSink sink, IOptions<GatewayOptions> options, ILogger<SampleWriter> logger) : BackgroundService
{
    private readonly int _batchSize = options.Value.SampleBatchSize;
    private readonly TimeSpan _flushInterval = options.Value.SampleFlushInterval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var full = await WriteBatchAsync();
                if (!full)
                {
                    // Let a partial batch fill up a little; one insert of 500 beats 500 inserts of one.
                    await Task.Delay(_flushInterval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        while (reader.Count > 0)
        {
            await WriteBatchAsync();
        }
    }

    /// <summary>Writes up to one batch; true when the batch was full (more may be waiting).</summary>
    private async Task<bool> WriteBatchAsync()
    {
        var batch = new List<RequestSample>(Math.Min(_batchSize, Math.Max(1, queue.Pending)));
        while (batch.Count < _batchSize && queue.Reader.TryRead(out var sample))
        {
            batch.Add(sample);
        }

        if (batch.Count == 0)
        {
            return false;
        }

        try
        {
            // Not cancelled by the stop signal: a batch taken from the queue is written, not thrown away.
            await sink.WriteBatchAsync(batch, CancellationToken.None);
            queue.CountWritten(batch.Count);
        }
        catch (Exception e)
        {
            queue.CountFailed(batch.Count);
            LogSinkFailed(logger, batch.Count, e);
        }

        return batch.Count == _batchSize;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} gateway samples failed; they are lost.")]
    private static partial void LogSinkFailed(ILogger logger, int count, Exception exception);
}
