using Portal.Core.Deployments;
using Portal.Runtimes.Local;

namespace Portal.Runtimes.Tests.Local;

/// <summary>
/// Real simulator processes: the environment each replica runs with is read back from the running process
/// (<c>/proc/PID/environ</c>), so what is asserted is what the engine would see.
/// </summary>
public sealed class LocalWeightCredentialsTests : IDisposable
{
    private const string PlatformToken = "hf_platform_0d5e";

    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "portal-runtime-tests", Guid.NewGuid().ToString("N"));
    private readonly LocalProcessRuntime _runtime;
    private readonly List<Guid> _deployments = [];

    public LocalWeightCredentialsTests()
    {
        _runtime = new LocalProcessRuntime(new LocalRuntimeOptions
        {
            StateDirectory = _stateDirectory,
            SimulatorTimeScale = 0.05,
            SimulatorWeightLoadSeconds = 30,
            UseInstalledEngines = false,
            HuggingFaceToken = PlatformToken,
        });
    }

    public void Dispose()
    {
        foreach (var deployment in _deployments)
        {
            _runtime.RemoveDeploymentAsync(deployment).GetAwaiter().GetResult();
        }

        _runtime.Dispose();
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    private async Task<(ReplicaHandle Handle, IReadOnlyDictionary<string, string> Environment)> StartAsync(ReplicaLaunch launch)
    {
        var deploymentId = Guid.NewGuid();
        _deployments.Add(deploymentId);
        var handle = await _runtime.StartReplicaAsync(launch with { DeploymentId = deploymentId });
        await WaitUntilServingAsync(handle);
        return (handle, ReadEnvironment(handle.ProcessId!.Value));
    }

    [Fact]
    public async Task PrivateHuggingFaceSource_RunsWithItsTenantsTokenOnly()
    {
        var (handle, environment) = await StartAsync(TestDeployments.Launch(PrivateWeights.HuggingFaceFineTune()) with
        {
            Credentials = PrivateWeights.TenantCredentials,
        });

        Assert.Equal(PrivateWeights.TenantCredentials.HuggingFaceToken, environment["HF_TOKEN"]);
        Assert.DoesNotContain(environment.Values, v => v.Contains(PlatformToken, StringComparison.Ordinal));
        // The weights need no object store, so the tenant's object-store keys stay out too.
        Assert.DoesNotContain(environment.Keys, k => WeightSources.Variables.Any(v => v.Name == k && v.Kind == WeightCredentialKind.ObjectStore));
        Assert.DoesNotContain(environment.Values, v => v.Contains("TENANTA", StringComparison.Ordinal));
        Assert.DoesNotContain(PrivateWeights.TenantCredentials.HuggingFaceToken!, handle.CommandLine, StringComparison.Ordinal);
        var stateFiles = Directory.EnumerateFiles(_stateDirectory, "*.json", SearchOption.AllDirectories).Select(File.ReadAllText);
        Assert.DoesNotContain(stateFiles, text => text.Contains(PrivateWeights.TenantCredentials.HuggingFaceToken!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TwoTenantsPrivateSources_EachReplicaHoldsOnlyItsOwnTenantsCredentials()
    {
        var (_, first) = await StartAsync(TestDeployments.Launch(PrivateWeights.ObjectStoreModel()) with
        {
            Credentials = PrivateWeights.TenantCredentials,
        });
        var (_, second) = await StartAsync(TestDeployments.Launch(PrivateWeights.ObjectStoreModel("other-s3")) with
        {
            TenantId = PrivateWeights.OtherTenantId,
            Credentials = PrivateWeights.OtherTenantCredentials,
        });

        Assert.Equal("AKIATENANTA", first["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("tenant-a-secret-key", first["AWS_SECRET_ACCESS_KEY"]);
        Assert.Equal("https://minio.tenant-a.test", first["AWS_ENDPOINT_URL"]);
        Assert.Equal("AKIATENANTB", second["AWS_ACCESS_KEY_ID"]);
        Assert.Equal("tenant-b-secret-key", second["AWS_SECRET_ACCESS_KEY"]);
        Assert.False(second.ContainsKey("AWS_ENDPOINT_URL"));
        Assert.DoesNotContain(first.Values, v => v.Contains("TENANTB", StringComparison.Ordinal) || v.Contains("tenant-b", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Values, v => v.Contains("TENANTA", StringComparison.Ordinal) || v.Contains("tenant-a", StringComparison.Ordinal));
        Assert.False(first.ContainsKey("HF_TOKEN"));
        Assert.False(second.ContainsKey("HF_TOKEN"));
    }

    [Fact]
    public async Task PublicCatalogWeights_RunWithThePlatformToken()
    {
        var (_, environment) = await StartAsync(TestDeployments.Launch(TestDeployments.Llama8B()) with
        {
            Credentials = PrivateWeights.TenantCredentials,
        });

        Assert.Equal(PlatformToken, environment["HF_TOKEN"]);
        Assert.DoesNotContain(environment.Values, v => v.Contains("TENANTA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivateSourceWithoutTheTenantsCredential_StartsNothing()
    {
        var deploymentId = Guid.NewGuid();
        _deployments.Add(deploymentId);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.StartReplicaAsync(
            TestDeployments.Launch(PrivateWeights.ObjectStoreModel(), deploymentId) with { Credentials = new WeightCredentials { HuggingFaceToken = "hf_x" } }));

        Assert.Contains("object-store keys", error.Message, StringComparison.Ordinal);
        Assert.Empty(await _runtime.ListReplicasAsync(deploymentId));
    }

    private async Task WaitUntilServingAsync(ReplicaHandle handle)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await _runtime.GetStatusAsync(handle, deadline.Token)).State is ReplicaState.Starting)
        {
            await Task.Delay(100, deadline.Token);
        }

        Assert.Contains((await _runtime.GetStatusAsync(handle, deadline.Token)).State, new[] { ReplicaState.LoadingWeights, ReplicaState.Ready });
    }

    private static Dictionary<string, string> ReadEnvironment(int processId) =>
        File.ReadAllText($"/proc/{processId}/environ")
            .Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
}
