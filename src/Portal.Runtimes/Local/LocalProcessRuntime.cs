using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Core.Deployments;
using Portal.Core.Scaling;

namespace Portal.Runtimes.Local;

/// <summary>
/// Runs each replica as a child process on a loopback port: the real engine when it is installed, otherwise the
/// simulator. A state file per replica (pid, process start time, port, command line) lets a restarted portal adopt
/// its replicas instead of starting duplicates; stdout and stderr go to a log file beside it. With the host's GPUs
/// configured, each replica reserves a set of its own (single tenant): the state files say which devices are held.
/// </summary>
public sealed class LocalProcessRuntime : IReplicaRuntime, IDisposable
{
    public const string RuntimeKind = "local";

    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(15);

    private readonly LocalRuntimeOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<int, Process> _children = new();
    private readonly Lock _reserving = new();

    public LocalProcessRuntime(LocalRuntimeOptions options, ILogger<LocalProcessRuntime>? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<LocalProcessRuntime>.Instance;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = options.ProbeTimeout };
    }

    public string Kind => RuntimeKind;

    /// <summary>The simulator profile standing in for a model: up to 20B parameters the 8B profile, above it the 70B one.</summary>
    public static string SimulatorProfileFor(ResolvedDeployment deployment, bool dedicated) =>
        (deployment.Architecture.Parameters <= 20_000_000_000, dedicated) switch
        {
            (true, true) => "dedicated-8b-h100",
            (true, false) => "serverless-8b",
            (false, true) => "dedicated-70b-h200",
            (false, false) => "serverless-70b",
        };

    public Task<ReplicaHandle> StartReplicaAsync(ReplicaLaunch launch, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var replicaId = "r-" + RandomNumberGenerator.GetHexString(10, lowercase: true);
        var directory = ReplicaRecord.DirectoryFor(_options.StateDirectory, launch.DeploymentId);
        Directory.CreateDirectory(directory);
        var port = FreePort();
        var plan = Plan(launch, port);
        var weights = WeightEnvironmentFor(launch);
        var logPath = Path.Combine(directory, replicaId + ".log");
        ReplicaRecord record;

        // From choosing the devices to writing the state file that holds them, no other start may choose.
        lock (_reserving)
        {
            var gpus = ReserveGpus(launch.Deployment.GpusPerReplica);
            if (gpus is not null)
            {
                var environment = new Dictionary<string, string>(plan.Command.Environment, StringComparer.Ordinal)
                {
                    ["CUDA_VISIBLE_DEVICES"] = string.Join(',', gpus.Select(d => d.ToString(CultureInfo.InvariantCulture))),
                };
                plan = plan with { Command = plan.Command with { Environment = environment } };
            }

            var process = Spawn(plan.Command, weights, logPath, directory);
            _children[process.Id] = process;
            record = NewRecord(replicaId, launch, process, port, plan, logPath, gpus);
            record.Write(ReplicaRecord.PathFor(_options.StateDirectory, launch.DeploymentId, replicaId));
        }

        _logger.LogInformation("Started replica {ReplicaId} of {DeploymentId} as process {ProcessId} on port {Port}: {CommandLine}",
            replicaId, launch.DeploymentId, record.ProcessId, port, record.CommandLine);
        return Task.FromResult(ToHandle(record) with { ApiKey = launch.ApiKey });
    }

    public async Task<ReplicaStatus> GetStatusAsync(ReplicaHandle handle, CancellationToken cancellationToken = default)
    {
        var record = Read(handle);
        if (record is null)
        {
            return new ReplicaStatus(ReplicaState.NotFound, $"No local replica {handle.ReplicaId}.");
        }

        if (!IsAlive(record))
        {
            return new ReplicaStatus(ReplicaState.Failed, $"Process {record.ProcessId} is no longer running; its output is in {record.LogPath}.");
        }

        var baseUri = BaseUri(record.Port);
        HttpStatusCode health;
        try
        {
            using var response = await _http.GetAsync(new Uri(baseUri, "health"), cancellationToken);
            health = response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ReplicaStatus(ReplicaState.Starting, $"Process {record.ProcessId} does not answer on port {record.Port} yet.");
        }

        if (health == HttpStatusCode.ServiceUnavailable)
        {
            return new ReplicaStatus(ReplicaState.LoadingWeights, "/health answers 503 while the weights load.");
        }

        if (health != HttpStatusCode.OK)
        {
            return new ReplicaStatus(ReplicaState.Failed, $"/health answered {(int)health}.");
        }

        var models = await ListServedModelsAsync(baseUri, handle.ApiKey, cancellationToken);
        return models.Contains(record.ServedModelName, StringComparer.Ordinal)
            ? new ReplicaStatus(ReplicaState.Ready)
            : new ReplicaStatus(ReplicaState.Failed,
                $"/health is 200 but /v1/models lists {(models.Count == 0 ? "nothing" : string.Join(", ", models))}, not {record.ServedModelName}.");
    }

    public async Task StopReplicaAsync(ReplicaHandle handle, CancellationToken cancellationToken = default)
    {
        var path = ReplicaRecord.PathFor(_options.StateDirectory, handle.DeploymentId, handle.ReplicaId);
        var record = ReplicaRecord.TryRead(path);
        if (record is null)
        {
            return;
        }

        await KillAsync(record, cancellationToken);
        File.Delete(path);
        _logger.LogInformation("Stopped replica {ReplicaId} of {DeploymentId}", record.ReplicaId, record.DeploymentId);
    }

    public Task<IReadOnlyList<ReplicaHandle>> ListReplicasAsync(Guid deploymentId, CancellationToken cancellationToken = default)
    {
        var directory = ReplicaRecord.DirectoryFor(_options.StateDirectory, deploymentId);
        IReadOnlyList<ReplicaHandle> handles = !Directory.Exists(directory)
            ? []
            : Directory.EnumerateFiles(directory, "*.json")
                .Select(ReplicaRecord.TryRead)
                .OfType<ReplicaRecord>()
                .Where(r => r.DeploymentId == deploymentId)
                .OrderBy(r => r.ProcessStartedAt)
                .Select(ToHandle)
                .ToList();
        return Task.FromResult(handles);
    }

    public async Task RemoveDeploymentAsync(Guid deploymentId, CancellationToken cancellationToken = default)
    {
        foreach (var handle in await ListReplicasAsync(deploymentId, cancellationToken))
        {
            await StopReplicaAsync(handle, cancellationToken);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var process in _children.Values)
        {
            process.Dispose();
        }
    }

    private ReplicaRecord? Read(ReplicaHandle handle) =>
        ReplicaRecord.TryRead(ReplicaRecord.PathFor(_options.StateDirectory, handle.DeploymentId, handle.ReplicaId));

    private static ReplicaRecord NewRecord(
        string replicaId, ReplicaLaunch launch, Process process, int port, LaunchPlan plan, string logPath, IReadOnlyList<int>? gpus) =>
        new()
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
            GpuDevices = gpus,
        };

    /// <summary>
    /// A free set of the host's GPUs for one replica, or null when GPUs are not assigned. Devices held by a live replica
    /// of any deployment (found through the state files, so a restarted portal sees them too) are never handed out again.
    /// </summary>
    private IReadOnlyList<int>? ReserveGpus(int count)
    {
        if (_options.GpuDevices.Count == 0)
        {
            return null;
        }

        var taken = Directory.Exists(_options.StateDirectory)
            ? Directory.EnumerateFiles(_options.StateDirectory, "*.json", SearchOption.AllDirectories)
                .Select(ReplicaRecord.TryRead)
                .OfType<ReplicaRecord>()
                .Where(IsAlive)
                .SelectMany(r => r.GpuDevices ?? [])
                .ToList()
            : [];
        return GpuSets.Reserve(_options.GpuDevices, taken, count)
            ?? throw new InvalidOperationException(
                $"No {count} GPU(s) free on this host: {taken.Distinct().Count()} of the {_options.GpuDevices.Distinct().Count()} in " +
                "Runtimes:Local:GpuDevices are held by other replicas, and a replica never shares a GPU.");
    }

    private LaunchPlan Plan(ReplicaLaunch launch, int port)
    {
        var deployment = launch.Deployment;
        var engine = EngineNames.Display(deployment.Engine);
        var executable = deployment.Engine switch
        {
            InferenceEngine.Vllm => _options.VllmExecutable,
            InferenceEngine.TensorRtLlm => _options.TensorRtLlmExecutable,
            _ => _options.SglangPython,
        };
        var installed = _options.UseInstalledEngines && executable is not null ? FindExecutable(executable) : null;
        if (installed is not null)
        {
            var command = EngineCommandLine.Render(deployment, port, _options.Host, launch.ApiKey);
            return new LaunchPlan(command with { Executable = installed }, UsesSimulator: false, Note: null);
        }

        var note = !_options.UseInstalledEngines
            ? $"The simulator stands in for {engine}: installed engines are turned off (Runtimes:Local:UseInstalledEngines)."
            : executable is null
                ? $"The simulator stands in for {engine}: no Python with SGLang is configured (Runtimes:Local:SglangPython)."
                : $"The simulator stands in for {engine}: '{executable}' was not found on PATH.";
        var simulator = _options.SimulatorPath ?? Path.Combine(AppContext.BaseDirectory, "Portal.Simulator.dll");
        if (!File.Exists(simulator))
        {
            throw new FileNotFoundException(
                $"The simulator is not at {simulator}. Set Runtimes:Local:SimulatorPath to Portal.Simulator.dll.", simulator);
        }

        var arguments = new List<string>
        {
            simulator,
            "--profile", SimulatorProfileFor(deployment, launch.Dedicated),
            "--served-model-name", deployment.ServedModelName,
            "--host", _options.Host,
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--time-scale", _options.SimulatorTimeScale.ToString("R", CultureInfo.InvariantCulture),
            "--max-model-len", deployment.Runtime.MaxContextLength.ToString(CultureInfo.InvariantCulture),
            "--max-num-seqs", deployment.Runtime.MaxConcurrentSequences.ToString(CultureInfo.InvariantCulture),
        };
        if (_options.SimulatorWeightLoadSeconds is { } weightLoad)
        {
            arguments.AddRange(["--weight-load-seconds", weightLoad.ToString("R", CultureInfo.InvariantCulture)]);
        }

        if (launch.ApiKey is { } apiKey)
        {
            arguments.AddRange([ReplicaSecret.Flag, apiKey]);
        }

        return new LaunchPlan(new EngineCommand(DotnetHost(), arguments, new Dictionary<string, string>()), UsesSimulator: true, note);
    }

    private string DotnetHost()
    {
        if (_options.DotnetHost is { } configured)
        {
            return configured;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }

    /// <summary>
    /// Private weights: the tenant's credentials and none of the host's identity. Public weights: the platform's token
    /// when one is configured. Kept out of the command line and the state file, which the portal shows and stores.
    /// </summary>
    private WeightEnvironment WeightEnvironmentFor(ReplicaLaunch launch) =>
        launch.Deployment.PrivateSources.Count > 0
            ? new WeightEnvironment(Private: true, WeightSources.Environment(launch.Deployment.PrivateCredentialKinds, launch.Credentials))
            : new WeightEnvironment(Private: false, _options.HuggingFaceToken is { Length: > 0 } token
                ? new Dictionary<string, string> { ["HF_TOKEN"] = token }
                : new Dictionary<string, string>());

    private static Process Spawn(EngineCommand command, WeightEnvironment weights, string logPath, string workingDirectory)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, WorkingDirectory = workingDirectory };
        if (OperatingSystem.IsWindows())
        {
            // Without a shell the portal pumps the output itself; such a replica ends with the portal.
            start.FileName = command.Executable;
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
        }
        else
        {
            // The shell redirects and then execs, so the pid is the engine's own and no pipe ties it to the portal:
            // the replica survives a portal restart and is adopted through its state file.
            start.FileName = "/bin/sh";
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$PORTAL_REPLICA_LOG\" 2>&1 </dev/null");
            start.ArgumentList.Add(command.Executable);
            start.Environment["PORTAL_REPLICA_LOG"] = logPath;
        }

        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        if (weights.Private)
        {
            foreach (var name in WeightSources.PlatformIdentityVariables)
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in weights.Variables)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command.Executable}.");
        if (OperatingSystem.IsWindows())
        {
            var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
            process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
            process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
            process.Exited += (_, _) => log.Dispose();
            process.EnableRaisingEvents = true;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        return process;
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // The process exited while its last lines were in flight.
            }
        }
    }

    /// <summary>Alive and the same process: a recycled pid has another start time.</summary>
    private static bool IsAlive(ReplicaRecord record)
    {
        try
        {
            using var process = Process.GetProcessById(record.ProcessId);
            return !process.HasExited
                && (process.StartTime.ToUniversalTime() - record.ProcessStartedAt).Duration() < TimeSpan.FromSeconds(1);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private async Task KillAsync(ReplicaRecord record, CancellationToken cancellationToken)
    {
        if (!IsAlive(record))
        {
            return;
        }

        try
        {
            using var process = Process.GetProcessById(record.ProcessId);
            process.Kill(entireProcessTree: true);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_stopTimeout);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        finally
        {
            if (_children.TryRemove(record.ProcessId, out var child))
            {
                child.Dispose();
            }
        }
    }

    private async Task<IReadOnlyList<string>> ListServedModelsAsync(Uri baseUri, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v1/models"));
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray()
                    .Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null)
                    .OfType<string>()
                    .ToList()
                : [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return [];
        }
    }

    private ReplicaHandle ToHandle(ReplicaRecord record) => new()
    {
        Runtime = RuntimeKind,
        DeploymentId = record.DeploymentId,
        ReplicaId = record.ReplicaId,
        BaseUri = BaseUri(record.Port),
        ProcessId = record.ProcessId,
        StartedAt = record.ProcessStartedAt,
        CommandLine = record.CommandLine,
        UsesSimulator = record.UsesSimulator,
        Note = record.Note,
        LogPath = record.LogPath,
    };

    private Uri BaseUri(int port) => new($"http://{_options.Host}:{port.ToString(CultureInfo.InvariantCulture)}/");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindExecutable(string name)
    {
        if (Path.IsPathRooted(name))
        {
            return File.Exists(name) ? name : null;
        }

        var extensions = OperatingSystem.IsWindows() ? new[] { ".exe", ".cmd", string.Empty } : [string.Empty];
        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => extensions.Select(extension => Path.Combine(directory, name + extension)))
            .FirstOrDefault(File.Exists);
    }

    private sealed record WeightEnvironment(bool Private, IReadOnlyDictionary<string, string> Variables);

    private sealed record LaunchPlan(EngineCommand Command, bool UsesSimulator, string? Note);
}
