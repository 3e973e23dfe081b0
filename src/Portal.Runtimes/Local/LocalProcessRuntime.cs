using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Logs;

namespace Portal.Runtimes.Local;

/// <summary>
/// Runs each replica as a child process on a loopback port: the real engine when it is installed, otherwise the
/// simulator. A state file per replica (pid, process start time, port, command line) lets a restarted portal adopt
/// its replicas instead of starting duplicates; stdout and stderr go to a log file beside it. With the host's GPUs
/// configured, each replica reserves a set of its own (single tenant): the state files say which devices are held.
/// What a replica runs is planned by <see cref="LocalLaunchPlan"/>, its GPUs come from <see cref="GpuReservations"/>,
/// and <see cref="ReplicaSupervisor"/> runs, finds and stops the processes.
/// </summary>
public sealed class LocalProcessRuntime : IReplicaRuntime, IReplicaLogs, IDisposable
{
    public const string RuntimeKind = "local";

    private readonly LocalRuntimeOptions _options;
    private readonly ILogger _logger;
    private readonly ReplicaSupervisor _replicas;
    private readonly GpuReservations _gpus;

    public LocalProcessRuntime(LocalRuntimeOptions options, ILogger<LocalProcessRuntime>? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<LocalProcessRuntime>.Instance;
        _replicas = new ReplicaSupervisor(options);
        _gpus = new GpuReservations(options.GpuDevices, _replicas.GpusOfRunningReplicas);
    }

    public string Kind => RuntimeKind;

    public Task<ReplicaHandle> StartReplicaAsync(ReplicaLaunch launch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var replicaId = "r-" + RandomNumberGenerator.GetHexString(10, lowercase: true);
        var port = ReplicaSupervisor.FreePort();
        var plan = LocalLaunchPlan.For(launch, port, _options, LocalTools.Find(launch.Deployment.Engine, _options));
        ReplicaRecord record;
        try
        {
            var gpus = launch.SimulatorProfile is null ? _gpus.Reserve(replicaId, launch.Deployment.GpusPerReplica) : null;
            record = _replicas.Start(replicaId, launch, port, plan.OnGpus(gpus));
        }
        finally
        {
            // Once the state file names the replica's GPUs, it holds them.
            _gpus.Release(replicaId);
        }

        _logger.LogInformation("Started replica {ReplicaId} of {DeploymentId} as process {ProcessId} on port {Port}: {CommandLine}",
            replicaId, launch.DeploymentId, record.ProcessId, port, record.CommandLine);
        return Task.FromResult(ToHandle(record) with { ApiKey = launch.ApiKey });
    }

    public Task<ReplicaStatus> GetStatusAsync(ReplicaHandle handle, CancellationToken cancellationToken = default) =>
        _replicas.StatusAsync(handle.DeploymentId, handle.ReplicaId, handle.ApiKey, cancellationToken);

    public async Task StopReplicaAsync(ReplicaHandle handle, CancellationToken cancellationToken = default)
    {
        if (await _replicas.StopAsync(handle.DeploymentId, handle.ReplicaId, cancellationToken) is { } stopped)
        {
            _logger.LogInformation("Stopped replica {ReplicaId} of {DeploymentId}", stopped.ReplicaId, stopped.DeploymentId);
        }
    }

    public Task<IReadOnlyList<ReplicaHandle>> ListReplicasAsync(Guid deploymentId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<ReplicaHandle> handles = _replicas.List(deploymentId).Select(ToHandle).ToList();
        return Task.FromResult(handles);
    }

    /// <summary>Stops the replicas and deletes their logs: a stopped replica's output stays readable only until now.</summary>
    public async Task RemoveDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken = default)
    {
        foreach (var handle in await ListReplicasAsync(deploymentId, cancellationToken))
        {
            await StopReplicaAsync(handle, cancellationToken);
        }

        var directory = ReplicaRecord.DirectoryFor(_options.StateDirectory, deploymentId);
        if (Directory.Exists(directory))
        {
            foreach (var log in Directory.EnumerateFiles(directory, "*.log*"))
            {
                File.Delete(log);
            }
        }
    }

    public Task<IReadOnlyList<LogLine>?> ReadAsync(Guid deploymentId, string replicaId, DateTimeOffset? since, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(ReplicaLogFile.PathFor(_options.StateDirectory, deploymentId, replicaId) is { } path
            ? ReplicaLogFile.Read(path, since, DateTimeOffset.UtcNow)
            : null);
    }

    public IAsyncEnumerable<LogLine> FollowAsync(Guid deploymentId, string replicaId, CancellationToken cancellationToken = default) =>
        ReplicaLogFile.PathFor(_options.StateDirectory, deploymentId, replicaId) is { } path
            ? ReplicaLogFile.FollowAsync(path, () => DateTimeOffset.UtcNow, cancellationToken)
            : AsyncEnumerable.Empty<LogLine>();

    public void Dispose() => _replicas.Dispose();

    private ReplicaHandle ToHandle(ReplicaRecord record) => new()
    {
        Runtime = RuntimeKind,
        DeploymentId = record.DeploymentId,
        ReplicaId = record.ReplicaId,
        BaseUri = _replicas.BaseUri(record.Port),
        ProcessId = record.ProcessId,
        StartedAt = record.ProcessStartedAt,
        CommandLine = record.CommandLine,
        UsesSimulator = record.UsesSimulator,
        Note = record.Note,
        LogPath = record.LogPath,
    };
}
