using Portal.Core.Logs;

namespace Portal.Runtimes;

/// <summary>
/// A replica's engine output (stdout and stderr) as its runtime keeps it: the local runtime's log file beside the
/// replica's state file, a pod's log through the Kubernetes API. Lines come as the engine wrote them, secrets included:
/// the caller redacts (<see cref="LogRedaction"/>) before anything leaves the server.
/// </summary>
public interface IReplicaLogs
{
    /// <summary>
    /// The newest part of the replica's log (at most <see cref="MaxReadBytes"/>), from <paramref name="since"/> on when
    /// given, oldest first; null when the runtime has no log of that replica in that deployment.
    /// </summary>
    Task<IReadOnlyList<LogLine>?> ReadAsync(Guid deploymentId, string replicaId, DateTimeOffset? since, CancellationToken cancellationToken = default);

    /// <summary>Lines written from now on, as they come, until cancelled or the replica's log is gone.</summary>
    IAsyncEnumerable<LogLine> FollowAsync(Guid deploymentId, string replicaId, CancellationToken cancellationToken = default);

    /// <summary>How much of a log one read looks at: its newest 8 MiB.</summary>
    public const int MaxReadBytes = 8 * 1024 * 1024;
}
