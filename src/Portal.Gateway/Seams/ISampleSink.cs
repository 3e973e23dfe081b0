using Portal.Core.Gateway;

namespace Portal.Gateway.Seams;

/// <summary>Where request samples are persisted, implemented by the host. Called by one background writer at a time.</summary>
public interface ISampleSink
{
    /// <summary>Stores a batch. The list belongs to the sink afterwards. An exception loses this batch only (it is logged and counted).</summary>
    Task WriteBatchAsync(IReadOnlyList<RequestSample> samples, CancellationToken cancellationToken);
}
