using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Portal.Core.Gateway;
using Portal.Gateway.Telemetry;

namespace Portal.Gateway.Samples;

/// <summary>
/// The bounded queue between request handling and the sample writer. Adding never waits: a full queue drops the
/// sample and counts it, so a slow database can cost measurements but never latency.
/// </summary>
public sealed class SampleQueue
{
    private readonly Channel<RequestSample> _channel;
    private readonly GatewayTelemetry _telemetry;
    private long _dropped;
    private long _written;
    private long _failed;

    public SampleQueue(IOptions<GatewayOptions> options, GatewayTelemetry telemetry)
    {
        _telemetry = telemetry;
        _channel = Channel.CreateBounded<RequestSample>(new BoundedChannelOptions(options.Value.SampleQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = false,
        });
    }

    /// <summary>Samples dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Samples the sink accepted.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Samples lost because the sink threw.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Samples waiting to be written.</summary>
    public int Pending => _channel.Reader.Count;

    internal ChannelReader<RequestSample> Reader => _channel.Reader;

    public void Add(RequestSample sample)
    {
        // With FullMode.Wait, TryWrite is false exactly when the queue is full; it never blocks.
        if (!_channel.Writer.TryWrite(sample))
        {
            Interlocked.Increment(ref _dropped);
            _telemetry.SampleDropped();
        }
    }

    internal void CountWritten(int count) => Interlocked.Add(ref _written, count);

    internal void CountFailed(int count) => Interlocked.Add(ref _failed, count);
}
