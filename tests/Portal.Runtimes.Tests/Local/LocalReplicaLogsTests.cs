using Portal.Runtimes.Local;

namespace Portal.Runtimes.Tests.Local;

/// <summary>A real simulator replica's log through the local runtime: readable while it runs and after it stopped, gone with its deployment.</summary>
public sealed class LocalReplicaLogsTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "portal-runtime-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalProcessRuntime _runtime;

    static LocalReplicaLogsTests()
    {
        Environment.SetEnvironmentVariable("PORTAL_SIMULATOR_EXIT_WITH_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public LocalReplicaLogsTests()
    {
        _runtime = new LocalProcessRuntime(new LocalRuntimeOptions
        {
            StateDirectory = _stateDirectory,
            SimulatorTimeScale = 0.05,
            SimulatorWeightLoadSeconds = 10,
            UseInstalledEngines = false,
        });
    }

    public void Dispose()
    {
        _runtime.RemoveDeploymentAsync(TestDeployments.DeploymentId).GetAwaiter().GetResult();
        _runtime.Dispose();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task TheLog_OutlivesTheStoppedReplica_IsNotReadThroughAnotherDeployment_AndGoesWithItsDeployment()
    {
        var handle = await _runtime.StartReplicaAsync(TestDeployments.Launch(TestDeployments.Llama8B()));
        var deployment = TestDeployments.DeploymentId;
        // A replica just started has a log, empty until the engine writes, not "no such log".
        Assert.NotNull(await _runtime.ReadAsync(deployment, handle.ReplicaId, null));
        for (var i = 0; i < 300 && !(await _runtime.ReadAsync(deployment, handle.ReplicaId, null))!.Any(l => l.Text.Contains("startup complete", StringComparison.Ordinal)); i++)
        {
            await Task.Delay(100);
        }

        await _runtime.StopReplicaAsync(handle);
        var afterStop = await _runtime.ReadAsync(deployment, handle.ReplicaId, DateTimeOffset.UtcNow.AddMinutes(-5));

        Assert.NotNull(afterStop);
        Assert.Contains(afterStop, l => l.Text.Contains("Application startup complete.", StringComparison.Ordinal) && l.Time is not null);
        Assert.Null(await _runtime.ReadAsync(Guid.NewGuid(), handle.ReplicaId, null));
        await _runtime.RemoveDeploymentAsync(deployment);
        Assert.Null(await _runtime.ReadAsync(deployment, handle.ReplicaId, null));
    }
}
