using System.Text.Json.Nodes;
using Portal.Runtimes.Kubernetes;

namespace Portal.Runtimes.Tests.Kubernetes;

public sealed class KubernetesRuntimeTests : IAsyncLifetime
{
    private const string Deployments = "/apis/apps/v1/namespaces/portal-replicas/deployments";
    private const string Services = "/api/v1/namespaces/portal-replicas/services";
    private const string Budgets = "/apis/policy/v1/namespaces/portal-replicas/poddisruptionbudgets";
    private const string Pods = "/api/v1/namespaces/portal-replicas/pods";
    private const string Secrets = "/api/v1/namespaces/portal-replicas/secrets";
    private const string Policies = "/apis/networking.k8s.io/v1/namespaces/portal-replicas/networkpolicies";
    private const string Name = "support-chat-3f2504e0";

    private FakeApiServer _server = null!;
    private KubernetesRuntime _runtime = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeApiServer.StartAsync();
        _runtime = new KubernetesRuntime(new KubernetesRuntimeOptions { Server = _server.BaseUri.ToString() });
    }

    public async Task DisposeAsync()
    {
        _runtime.Dispose();
        await _server.DisposeAsync();
    }

    private static ReplicaLaunch Launch() => TestDeployments.Launch(TestDeployments.Llama70BOnFourH100s());

    [Fact]
    public async Task FirstStart_CreatesKeySecretDeploymentServiceBudgetAndPolicyWithTenantPlacement()
    {
        var handle = await _runtime.StartReplicaAsync(Launch());

        Assert.Equal($"{Name}#1", handle.ReplicaId);
        Assert.Equal(
            [$"GET {Deployments}/{Name}", $"POST {Secrets}", $"POST {Deployments}", $"POST {Services}", $"POST {Budgets}", $"POST {Policies}"],
            _server.Requests.Select(r => r.ToString()));
        var deployment = _server.Requests.Single(r => r.Method == "POST" && r.Path == Deployments).Json;
        var pod = deployment["spec"]!["template"]!["spec"]!;
        var tenant = TestDeployments.TenantId.ToString();
        Assert.Equal(1, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("NVIDIA-H100-80GB-HBM3", pod["nodeSelector"]!["nvidia.com/gpu.product"]!.GetValue<string>());
        Assert.Equal("us-east", pod["nodeSelector"]!["topology.kubernetes.io/region"]!.GetValue<string>());
        Assert.Equal(
            $$"""[{"effect":"NoSchedule","key":"portal.dev/tenant","operator":"Equal","value":"{{tenant}}"}]""",
            pod["tolerations"]!.ToJsonString());
        Assert.Equal(tenant, pod["affinity"]!["nodeAffinity"]!["requiredDuringSchedulingIgnoredDuringExecution"]!["nodeSelectorTerms"]![0]!["matchExpressions"]![0]!["values"]![0]!.GetValue<string>());
        Assert.Equal("4", pod["containers"]![0]!["resources"]!["limits"]!["nvidia.com/gpu"]!.GetValue<string>());
        Assert.Equal("vllm", pod["containers"]![0]!["command"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task SecondStart_ReplacesTheObjectsWithOneMoreReplicaKeepingTheClusterIp()
    {
        await _runtime.StartReplicaAsync(Launch());
        var version = _server.Get($"{Deployments}/{Name}")!["metadata"]!["resourceVersion"]!.GetValue<string>();
        _server.Requests.Clear();

        var handle = await _runtime.StartReplicaAsync(Launch());

        Assert.Equal($"{Name}#2", handle.ReplicaId);
        Assert.Equal(
            [
                $"GET {Deployments}/{Name}", $"POST {Secrets}",
                $"POST {Deployments}", $"GET {Deployments}/{Name}", $"PUT {Deployments}/{Name}",
                $"POST {Services}", $"GET {Services}/{Name}", $"PUT {Services}/{Name}",
                $"POST {Budgets}", $"GET {Budgets}/{Name}", $"PUT {Budgets}/{Name}",
                $"POST {Policies}", $"GET {Policies}/{Name}", $"PUT {Policies}/{Name}",
            ],
            _server.Requests.Select(r => r.ToString()));
        var replaced = _server.Requests.Single(r => r.Method == "PUT" && r.Path.StartsWith(Deployments, StringComparison.Ordinal)).Json;
        Assert.Equal(2, replaced["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(version, replaced["metadata"]!["resourceVersion"]!.GetValue<string>());
        var service = _server.Requests.Single(r => r.Method == "PUT" && r.Path.StartsWith(Services, StringComparison.Ordinal)).Json;
        Assert.Equal("10.96.0.42", service["spec"]!["clusterIP"]!.GetValue<string>());
        var created = _server.Requests.Single(r => r.Method == "POST" && r.Path == Services).Json;
        Assert.Null(created["metadata"]!["resourceVersion"]);
    }

    [Fact]
    public async Task FirstStart_StoresTheReplicaKeyOnlyInTheSecret_AndASecondStartKeepsIt()
    {
        await _runtime.StartReplicaAsync(Launch());
        await _runtime.StartReplicaAsync(Launch() with { ApiKey = "rs_another" });

        var secret = _server.Get($"{Secrets}/{Name}-api-key")!;
        Assert.Equal(TestDeployments.ApiKey, secret["stringData"]!["api-key"]!.GetValue<string>());
        Assert.Equal(TestDeployments.TenantId.ToString(), secret["metadata"]!["labels"]!["portal.dev/tenant"]!.GetValue<string>());
        Assert.All(_server.Requests.Where(r => !r.Path.StartsWith(Secrets, StringComparison.Ordinal)),
            r => Assert.DoesNotContain(TestDeployments.ApiKey, r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WithoutAKey_IsRefusedBeforeAnythingIsCreated()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _runtime.StartReplicaAsync(Launch() with { ApiKey = null }));

        Assert.Contains("API key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task PodsReportTheirState_AndStoppingOneMarksItAndScalesDown()
    {
        await _runtime.StartReplicaAsync(Launch());
        await _runtime.StartReplicaAsync(Launch());
        AddPod("support-chat-3f2504e0-abc12", "Running", ready: true, "2025-06-01T10:00:00Z");
        AddPod("support-chat-3f2504e0-def34", "Running", ready: false, "2025-06-01T10:05:00Z");
        AddPod("other-deployment-pod", "Running", ready: true, "2025-06-01T10:00:00Z", deploymentId: Guid.NewGuid());
        _server.Requests.Clear();

        var replicas = await _runtime.ListReplicasAsync(TestDeployments.DeploymentId);

        Assert.Equal(["support-chat-3f2504e0-abc12", "support-chat-3f2504e0-def34"], replicas.Select(r => r.ReplicaId));
        Assert.Contains($"labelSelector=portal.dev%2Fdeployment%3D{TestDeployments.DeploymentId}", _server.Requests.Single().Query);
        Assert.Equal(ReplicaState.Ready, (await _runtime.GetStatusAsync(replicas[0])).State);
        Assert.Equal(ReplicaState.LoadingWeights, (await _runtime.GetStatusAsync(replicas[1])).State);
        Assert.Equal(ReplicaState.NotFound, (await _runtime.GetStatusAsync(replicas[0] with { ReplicaId = "gone" })).State);

        _server.Requests.Clear();
        await _runtime.StopReplicaAsync(replicas[1]);

        Assert.Equal(
            [$"GET {Pods}/support-chat-3f2504e0-def34", $"PATCH {Pods}/support-chat-3f2504e0-def34", $"GET {Deployments}/{Name}", $"PATCH {Deployments}/{Name}/scale"],
            _server.Requests.Select(r => r.ToString()));
        var requests = _server.Requests.ToList();
        Assert.Equal("""{"metadata":{"annotations":{"controller.kubernetes.io/pod-deletion-cost":"-1000"}}}""", requests[1].Body);
        Assert.Equal("""{"spec":{"replicas":1}}""", requests[3].Body);
    }

    [Fact]
    public async Task SlotHandle_IsReadyOnceThatManyPodsAreReady()
    {
        var handle = await _runtime.StartReplicaAsync(Launch());

        Assert.Equal(ReplicaState.Starting, (await _runtime.GetStatusAsync(handle)).State);
        _server.Get($"{Deployments}/{Name}")!["status"] = new JsonObject { ["readyReplicas"] = 1 };
        Assert.Equal(ReplicaState.Ready, (await _runtime.GetStatusAsync(handle)).State);
    }

    [Fact]
    public async Task CrashLoopingPod_IsFailed()
    {
        AddPod("support-chat-3f2504e0-xyz", "Running", ready: false, "2025-06-01T10:00:00Z", waitingReason: "CrashLoopBackOff");

        var status = await _runtime.GetStatusAsync(Assert.Single(await _runtime.ListReplicasAsync(TestDeployments.DeploymentId)));

        Assert.Equal(ReplicaState.Failed, status.State);
        Assert.Contains("CrashLoopBackOff", status.Detail);
    }

    [Fact]
    public async Task RemoveDeployment_DeletesEveryObjectAndTheKeySecret()
    {
        await _runtime.StartReplicaAsync(Launch());
        _server.Requests.Clear();

        await _runtime.RemoveDeploymentAsync(TestDeployments.DeploymentId);

        Assert.Equal(
            [
                $"GET {Deployments}", $"DELETE {Deployments}/{Name}", $"DELETE {Services}/{Name}", $"DELETE {Budgets}/{Name}",
                $"DELETE {Policies}/{Name}", $"DELETE {Secrets}/{Name}-api-key",
            ],
            _server.Requests.Select(r => r.ToString()));
        Assert.Null(_server.Get($"{Deployments}/{Name}"));
    }

    private void AddPod(string name, string phase, bool ready, string started, Guid? deploymentId = null, string? waitingReason = null)
    {
        var container = new JsonObject { ["name"] = "engine", ["ready"] = ready, ["restartCount"] = 0, ["image"] = "x", ["imageID"] = "x" };
        if (waitingReason is not null)
        {
            container["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = waitingReason } };
        }

        _server.Put($"{Pods}/{name}", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["creationTimestamp"] = started,
                ["labels"] = new JsonObject
                {
                    ["portal.dev/deployment"] = (deploymentId ?? TestDeployments.DeploymentId).ToString(),
                    ["app.kubernetes.io/instance"] = Name,
                },
            },
            ["status"] = new JsonObject
            {
                ["phase"] = phase,
                ["startTime"] = started,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
                ["containerStatuses"] = new JsonArray(container),
            },
        });
    }
}
