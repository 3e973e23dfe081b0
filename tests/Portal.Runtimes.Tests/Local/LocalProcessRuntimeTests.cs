using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Runtimes.Local;

namespace Portal.Runtimes.Tests.Local;

/// <summary>Real simulator processes on loopback; the weights "load" in 1.5 s of real time.</summary>
public sealed class LocalProcessRuntimeTests : IDisposable
{
    private static readonly TimeSpan _deadline = TimeSpan.FromSeconds(30);

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "portal-runtime-tests", Guid.NewGuid().ToString("N"));
    private readonly List<LocalProcessRuntime> _runtimes = [];

    static LocalProcessRuntimeTests()
    {
        // Simulator processes inherit this and exit with the test run, even one killed before it could stop them.
        Environment.SetEnvironmentVariable("PORTAL_SIMULATOR_EXIT_WITH_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private LocalProcessRuntime NewRuntime(Action<LocalRuntimeOptions>? configure = null)
    {
        var options = new LocalRuntimeOptions
        {
            StateDirectory = _stateDirectory,
            SimulatorTimeScale = 0.05,
            SimulatorWeightLoadSeconds = 30,
            UseInstalledEngines = false,
        };
        configure?.Invoke(options);
        var runtime = new LocalProcessRuntime(options);
        _runtimes.Add(runtime);
        return runtime;
    }

    public void Dispose()
    {
        foreach (var runtime in _runtimes)
        {
            // Every deployment a test used, not only the default one.
            var deployments = Directory.Exists(_stateDirectory) ? Directory.EnumerateDirectories(_stateDirectory) : [];
            foreach (var folder in deployments)
            {
                if (Guid.TryParseExact(Path.GetFileName(folder), "N", out var deploymentId))
                {
                    runtime.RemoveDeploymentAsync(deploymentId).GetAwaiter().GetResult();
                }
            }

            runtime.Dispose();
        }

        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_LoadsWeightsThenServesTheModel_AndStopKillsIt()
    {
        var runtime = NewRuntime();

        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));

        Assert.True(handle.UsesSimulator);
        Assert.Equal("The simulator stands in for vLLM: installed engines are turned off (Runtimes:Local:UseInstalledEngines).", handle.Note);
        Assert.Contains("--profile dedicated-8b-h100", handle.CommandLine);
        var seen = await WaitForAsync(runtime, handle, ReplicaState.Ready);
        Assert.Contains(ReplicaState.LoadingWeights, seen);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestDeployments.ApiKey);
        var models = await http.GetFromJsonAsync<JsonElement>(new Uri(handle.BaseUri!, "v1/models"));
        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", models.GetProperty("data")[0].GetProperty("id").GetString());
        Assert.True(File.Exists(handle.LogPath));

        await runtime.StopReplicaAsync(handle);

        Assert.False(IsRunning(handle.ProcessId!.Value));
        Assert.Equal(ReplicaState.NotFound, (await runtime.GetStatusAsync(handle)).State);
        Assert.Empty(await runtime.ListReplicasAsync(TestDeployments.DeploymentId));
    }

    [Fact]
    public async Task WithTheHostsGpusConfigured_EachReplicaHoldsItsOwn_AndNoneIsShared()
    {
        var runtime = NewRuntime(o => o.GpuDevices = [0, 1]);
        var other = Guid.NewGuid();

        var first = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        var second = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B("other-chat"), other));
        var restarted = NewRuntime(o => o.GpuDevices = [0, 1]);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => restarted.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B())));
        await runtime.StopReplicaAsync(first);
        var third = await restarted.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));

        try
        {
            Assert.StartsWith("CUDA_VISIBLE_DEVICES=0 ", first.CommandLine);
            Assert.StartsWith("CUDA_VISIBLE_DEVICES=1 ", second.CommandLine);
            Assert.Equal("No 1 GPU(s) free on this host: 2 of the 2 in Runtimes:Local:GpuDevices are held by other replicas, and a replica never shares a GPU.",
                refused.Message);
            Assert.StartsWith("CUDA_VISIBLE_DEVICES=0 ", third.CommandLine);
            if (OperatingSystem.IsLinux())
            {
                Assert.Contains("CUDA_VISIBLE_DEVICES=1", File.ReadAllText($"/proc/{second.ProcessId}/environ").Split('\0'));
            }
        }
        finally
        {
            await runtime.RemoveDeploymentAsync(other);
        }
    }

    [Fact]
    public async Task ProcessKilledFromOutside_IsFailed()
    {
        var runtime = NewRuntime();
        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        await WaitForAsync(runtime, handle, ReplicaState.LoadingWeights);

        using (var process = Process.GetProcessById(handle.ProcessId!.Value))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        var status = await runtime.GetStatusAsync(handle);
        Assert.Equal(ReplicaState.Failed, status.State);
        Assert.Contains(handle.LogPath!, status.Detail);
    }

    [Fact]
    public async Task Replica_AnswersV1OnlyWithItsSecret_WhileHealthAndMetricsStayOpen()
    {
        var runtime = NewRuntime();
        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        await WaitForAsync(runtime, handle, ReplicaState.Ready);
        using var http = new HttpClient();

        async Task<HttpStatusCode> ModelsAsync(string? bearer)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(handle.BaseUri!, "v1/models"));
            if (bearer is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            }

            using var response = await http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await ModelsAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await ModelsAsync("rs_wrong"));
        Assert.Equal(HttpStatusCode.OK, await ModelsAsync(TestDeployments.ApiKey));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(handle.BaseUri!, "health"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(handle.BaseUri!, "metrics"))).StatusCode);
        // Without the secret the runtime cannot see the served model: such a status is never Ready.
        Assert.Equal(ReplicaState.Failed, (await runtime.GetStatusAsync(handle with { ApiKey = null })).State);
    }

    [Fact]
    public async Task Secret_NeverReachesTheStateFileTheLogOrTheShownCommandLine()
    {
        var runtime = NewRuntime();
        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        await WaitForAsync(runtime, handle, ReplicaState.Ready);

        Assert.Contains("--api-key '<redacted>'", handle.CommandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(TestDeployments.ApiKey, handle.CommandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(TestDeployments.ApiKey, handle.ToString(), StringComparison.Ordinal);
        var stateFile = Assert.Single(Directory.GetFiles(Path.Combine(_stateDirectory, TestDeployments.DeploymentId.ToString("N")), "*.json"));
        Assert.DoesNotContain(TestDeployments.ApiKey, await File.ReadAllTextAsync(stateFile), StringComparison.Ordinal);
        Assert.DoesNotContain(TestDeployments.ApiKey, await File.ReadAllTextAsync(handle.LogPath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewRuntimeOnTheSameStateDirectory_AdoptsTheRunningReplica()
    {
        var first = NewRuntime();
        var started = await first.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        await WaitForAsync(first, started, ReplicaState.Ready);

        var restarted = NewRuntime();
        var adopted = Assert.Single(await restarted.ListReplicasAsync(TestDeployments.DeploymentId));

        Assert.Equal((started.ReplicaId, started.ProcessId, started.BaseUri), (adopted.ReplicaId, adopted.ProcessId, adopted.BaseUri));
        Assert.Null(adopted.ApiKey);
        Assert.Equal(ReplicaState.Ready, (await restarted.GetStatusAsync(adopted with { ApiKey = TestDeployments.ApiKey })).State);
        Assert.Single(Directory.GetFiles(Path.Combine(_stateDirectory, TestDeployments.DeploymentId.ToString("N")), "*.json"));

        await restarted.StopReplicaAsync(adopted);

        Assert.False(IsRunning(started.ProcessId!.Value));
    }

    [Fact]
    public async Task StateFileWhosePidBelongsToAnotherProcess_IsNotAdopted()
    {
        var runtime = NewRuntime();
        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        await runtime.StopReplicaAsync(handle);
        var path = Path.Combine(_stateDirectory, TestDeployments.DeploymentId.ToString("N"), "r-recycled.json");
        var record = new Dictionary<string, object>
        {
            ["replicaId"] = "r-recycled", ["deploymentId"] = TestDeployments.DeploymentId, ["tenantId"] = TestDeployments.TenantId,
            ["processId"] = Environment.ProcessId, ["processStartedAt"] = DateTimeOffset.UtcNow.AddDays(-3), ["port"] = 1,
            ["servedModelName"] = "m", ["executable"] = "x", ["arguments"] = Array.Empty<string>(), ["commandLine"] = "x",
            ["logPath"] = "x.log", ["usesSimulator"] = true,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(record));

        var recycled = Assert.Single(await runtime.ListReplicasAsync(TestDeployments.DeploymentId));

        Assert.Equal(ReplicaState.Failed, (await runtime.GetStatusAsync(recycled)).State);
        await runtime.StopReplicaAsync(recycled);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task InstalledEngine_RunsTheRenderedCommandLine_AndStopKillsItsWholeProcessTree()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var bin = Directory.CreateDirectory(Path.Combine(_stateDirectory, "bin")).FullName;
        var fakeVllm = Path.Combine(bin, "vllm");
        var childPid = Path.Combine(bin, "child.pid");
        await File.WriteAllTextAsync(fakeVllm, $"#!/bin/sh\necho \"$@\"\nsleep 300 &\necho $! > '{childPid}'\nwait\n");
        File.SetUnixFileMode(fakeVllm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var runtime = NewRuntime(o => { o.UseInstalledEngines = true; o.VllmExecutable = fakeVllm; });

        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));

        Assert.False(handle.UsesSimulator);
        Assert.Null(handle.Note);
        await WaitUntilAsync(() => File.Exists(childPid) && File.ReadAllText(childPid).Trim().Length > 0);
        var log = await File.ReadAllTextAsync(handle.LogPath!);
        Assert.StartsWith($"serve meta-llama/Llama-3.1-8B-Instruct --served-model-name meta-llama/Llama-3.1-8B-Instruct --host 127.0.0.1 --port {handle.BaseUri!.Port} ", log);
        var sleeper = int.Parse(File.ReadAllText(childPid).Trim(), System.Globalization.CultureInfo.InvariantCulture);

        await runtime.StopReplicaAsync(handle);

        await WaitUntilAsync(() => !IsRunning(sleeper));
        Assert.False(IsRunning(handle.ProcessId!.Value));
    }

    [Fact]
    public async Task MissingEngine_FallsBackToTheSimulatorAndSaysWhy()
    {
        var runtime = NewRuntime(o => { o.UseInstalledEngines = true; o.VllmExecutable = "vllm-not-installed-here"; });

        var handle = await runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));

        Assert.True(handle.UsesSimulator);
        Assert.Equal("The simulator stands in for vLLM: 'vllm-not-installed-here' was not found on PATH.", handle.Note);
    }

    [Fact]
    public async Task MissingSimulator_IsReportedWithTheSettingToFix()
    {
        var runtime = NewRuntime(o => o.SimulatorPath = "/nowhere/Portal.Simulator.dll");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B())));

        Assert.Contains("Runtimes:Local:SimulatorPath", error.Message);
    }

    private static async Task<List<ReplicaState>> WaitForAsync(LocalProcessRuntime runtime, ReplicaHandle handle, ReplicaState wanted)
    {
        var seen = new List<ReplicaState>();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < _deadline)
        {
            var status = await runtime.GetStatusAsync(handle);
            if (seen.Count == 0 || seen[^1] != status.State)
            {
                seen.Add(status.State);
            }

            if (status.State == wanted)
            {
                return seen;
            }

            Assert.NotEqual(ReplicaState.Failed, status.State);
            await Task.Delay(100);
        }

        throw new TimeoutException($"Replica never reached {wanted}; states seen: {string.Join(" → ", seen)}.");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < _deadline, "Timed out.");
            await Task.Delay(50);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
