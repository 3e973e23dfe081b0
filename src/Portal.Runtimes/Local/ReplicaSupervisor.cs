using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.Runtimes.Local;

/// <summary>
/// The local replicas' processes and their state files (one per replica under
/// <see cref="LocalRuntimeOptions.StateDirectory"/>, log beside it): starts a planned replica and records it, finds the
/// recorded ones again (also those an earlier run of the portal started: they are adopted, not started twice), says how
/// far each is, and stops them.
/// </summary>
internal sealed class ReplicaSupervisor : IDisposable
{
    private readonly string _stateDirectory;
    private readonly string _host;
    private readonly ReplicaReadiness _readiness;
    private readonly ConcurrentDictionary<int, Process> _children = new();

    public ReplicaSupervisor(LocalRuntimeOptions options)
    {
        _stateDirectory = options.StateDirectory;
        _host = options.Host;
        _readiness = new ReplicaReadiness(options.ProbeTimeout);
    }

    /// <summary>A port free on the loopback interface now, for the next replica to listen on.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Uri BaseUri(int port) => new($"http://{_host}:{port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>Starts the planned replica and writes its state file before returning.</summary>
    public ReplicaRecord Start(string replicaId, ReplicaLaunch launch, int port, LocalLaunchPlan plan)
    {
        var directory = ReplicaRecord.DirectoryFor(_stateDirectory, launch.DeploymentId);
        Directory.CreateDirectory(directory);
        var logPath = Path.Combine(directory, replicaId + ".log");
        var process = ReplicaProcess.Start(plan, logPath, directory);
        _children[process.Id] = process;
        var record = new ReplicaRecord
        {
            ReplicaId = replicaId,
            DeploymentId = launch.DeploymentId,
            TenantId = launch.TenantId,
            ProcessId = process.Id,
            ProcessStartedAt = process.StartTime.ToUniversalTime(),
            Port = port,
            ServedModelName = launch.Deployment.ServedModelName,
            Executable = plan.Command.Executable,
            // The state file is plain text: it keeps the command without the replica's secret.
            Arguments = plan.Command.Redacted().Arguments,
            CommandLine = plan.Command.ToShellString(),
            LogPath = logPath,
            UsesSimulator = plan.UsesSimulator,
            Note = plan.Note,
            GpuDevices = plan.Gpus,
        };
        record.Write(ReplicaRecord.PathFor(_stateDirectory, launch.DeploymentId, replicaId));
        return record;
    }

    public ReplicaRecord? Find(Guid deploymentId, string replicaId) =>
        ReplicaRecord.TryRead(ReplicaRecord.PathFor(_stateDirectory, deploymentId, replicaId));

    /// <summary>The deployment's recorded replicas, oldest first, whichever run of the portal started them.</summary>
    public IReadOnlyList<ReplicaRecord> List(Guid deploymentId)
    {
        var directory = ReplicaRecord.DirectoryFor(_stateDirectory, deploymentId);
        return !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*.json")
                .Select(ReplicaRecord.TryRead)
                .OfType<ReplicaRecord>()
                .Where(r => r.DeploymentId == deploymentId)
                .OrderBy(r => r.ProcessStartedAt)
                .ToList();
    }

    /// <summary>The host GPUs that running replicas of any deployment hold, as their state files say.</summary>
    public IEnumerable<int> GpusOfRunningReplicas() =>
        Directory.Exists(_stateDirectory)
            ? Directory.EnumerateFiles(_stateDirectory, "*.json", SearchOption.AllDirectories)
                .Select(ReplicaRecord.TryRead)
                .OfType<ReplicaRecord>()
                .Where(ReplicaProcess.IsRunning)
                .SelectMany(r => r.GpuDevices ?? [])
                .ToList()
            : [];

    public async Task<ReplicaStatus> StatusAsync(Guid deploymentId, string replicaId, string? apiKey, CancellationToken cancellationToken)
    {
        var record = Find(deploymentId, replicaId);
        if (record is null)
        {
            return new ReplicaStatus(ReplicaState.NotFound, $"No local replica {replicaId}.");
        }

        if (!ReplicaProcess.IsRunning(record))
        {
            return new ReplicaStatus(ReplicaState.Failed, $"Process {record.ProcessId} is no longer running; its output is in {record.LogPath}.");
        }

        return await _readiness.CheckAsync(record, BaseUri(record.Port), apiKey, cancellationToken);
    }

    /// <summary>Kills the replica's process tree and deletes its state file; the record it stopped, or null when there was none.</summary>
    public async Task<ReplicaRecord?> StopAsync(Guid deploymentId, string replicaId, CancellationToken cancellationToken)
    {
        var path = ReplicaRecord.PathFor(_stateDirectory, deploymentId, replicaId);
        var record = ReplicaRecord.TryRead(path);
        if (record is null)
        {
            return null;
        }

        try
        {
            await ReplicaProcess.KillAsync(record, cancellationToken);
        }
        finally
        {
            if (_children.TryRemove(record.ProcessId, out var child))
            {
                child.Dispose();
            }
        }

        File.Delete(path);
        return record;
    }

    public void Dispose()
    {
        _readiness.Dispose();
        foreach (var process in _children.Values)
        {
            process.Dispose();
        }
    }
}
