using Portal.Runtimes.Kubernetes;

namespace Portal.Runtimes.Tests.Kubernetes;

/// <summary>Private weights on Kubernetes read the tenant's own Secret, never the platform's Hugging Face token.</summary>
public sealed class TenantWeightSecretTests : IAsyncLifetime
{
    private const string Secrets = "/api/v1/namespaces/portal-replicas/secrets";

    private static readonly KubernetesRuntimeOptions _options = new() { HuggingFaceTokenSecret = "hf-token" };

    private FakeApiServer _server = null!;
    private KubernetesRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _runtime = new KubernetesRuntime(new KubernetesRuntimeOptions { Server = _server.BaseUri.ToString(), HuggingFaceTokenSecret = "hf-token" });
    }

    public async Task DisposeAsync()
    {
        _runtime.Dispose();
        await _server.DisposeAsync();
    }

    private static ReplicaLaunch Launch(Core.Deployments.ResolvedDeployment deployment) =>
        TestDeployments.Launch(deployment) with { Credentials = PrivateWeights.TenantCredentials };

    [Fact]
    public void PrivateHuggingFaceManifest_MatchesTheGoldenFile() =>
        GoldenFile.AssertMatches("manifest-private-huggingface.yaml", KubernetesManifest.Build(Launch(PrivateWeights.HuggingFaceFineTune()), 1, _options).ToYaml());

    [Fact]
    public void PrivateObjectStoreManifest_MatchesTheGoldenFile() =>
        GoldenFile.AssertMatches("manifest-private-s3.yaml", KubernetesManifest.Build(Launch(PrivateWeights.ObjectStoreModel()), 1, _options).ToYaml());

    [Fact]
    public void PrivateSource_ReferencesOnlyTheTenantsSecret_AndNoValue()
    {
        var yaml = KubernetesManifest.Build(Launch(PrivateWeights.HuggingFaceFineTune()), 1, _options).ToYaml();
        var env = KubernetesManifest.Build(Launch(PrivateWeights.HuggingFaceFineTune()), 1, _options).Deployment.Spec.Template.Spec.Containers[0].Env;

        var token = Assert.Single(env, e => e.Name == "HF_TOKEN");
        Assert.Equal(KubernetesManifest.WeightSecretName(TestDeployments.TenantId), token.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("hf-token", token.ValueFrom.SecretKeyRef.Key);
        Assert.DoesNotContain("name: hf-token\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(PrivateWeights.TenantCredentials.HuggingFaceToken!, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(KubernetesManifest.WeightSecretName(PrivateWeights.OtherTenantId), yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(env, e => e.Name.StartsWith("AWS_", StringComparison.Ordinal));
    }

    [Fact]
    public void PublicCatalogWeights_KeepThePlatformToken()
    {
        var env = KubernetesManifest.Build(TestDeployments.Launch(TestDeployments.Llama8B()), 1, _options).Deployment.Spec.Template.Spec.Containers[0].Env;

        var token = Assert.Single(env, e => e.Name == "HF_TOKEN");
        Assert.Equal("hf-token", token.ValueFrom.SecretKeyRef.Name);
    }

    [Fact]
    public async Task Start_WritesTheTenantsSecretBeforeTheDeployment_WithItsValuesOnly()
    {
        await _runtime.StartReplicaAsync(Launch(PrivateWeights.ObjectStoreModel()));

        var name = KubernetesManifest.WeightSecretName(TestDeployments.TenantId);
        var posts = _server.Requests.Where(r => r.Method == "POST").Select(r => r.Path).ToList();
        Assert.Equal(Secrets, posts[0]);
        var secret = _server.Get($"{Secrets}/{name}")!;
        var data = secret["stringData"]!.AsObject();
        Assert.Equal("AKIATENANTA", data["aws-access-key-id"]!.GetValue<string>());
        Assert.Equal("tenant-a-secret-key", data["aws-secret-access-key"]!.GetValue<string>());
        Assert.Equal(TestDeployments.TenantId.ToString(), secret["metadata"]!["labels"]!["portal.dev/tenant"]!.GetValue<string>());
        Assert.DoesNotContain("tenant-b", secret.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(_server.Get($"{Secrets}/{KubernetesManifest.WeightSecretName(PrivateWeights.OtherTenantId)}"));
    }

    [Fact]
    public async Task StartAfterRotation_ReplacesTheSecretsValues()
    {
        await _runtime.StartReplicaAsync(Launch(PrivateWeights.HuggingFaceFineTune()));
        var rotated = Launch(PrivateWeights.HuggingFaceFineTune()) with
        {
            Credentials = PrivateWeights.TenantCredentials with { HuggingFaceToken = "hf_rotated_91aa" },
        };

        await _runtime.StartReplicaAsync(rotated);

        var secret = _server.Get($"{Secrets}/{KubernetesManifest.WeightSecretName(TestDeployments.TenantId)}")!;
        Assert.Equal("hf_rotated_91aa", secret["stringData"]!["hf-token"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_WithoutTheTenantsCredential_IsRefusedBeforeAnythingIsCreated()
    {
        var launch = TestDeployments.Launch(PrivateWeights.HuggingFaceFineTune()) with
        {
            Credentials = new Core.Deployments.WeightCredentials { ObjectStore = new("AKIA", "x") },
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.StartReplicaAsync(launch));

        Assert.Contains("Hugging Face token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Method == "POST");
    }
}
