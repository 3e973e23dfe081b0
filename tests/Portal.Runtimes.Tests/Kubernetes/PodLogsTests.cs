using System.Text.Json.Nodes;
using Portal.Runtimes.Kubernetes;

namespace Portal.Runtimes.Tests.Kubernetes;

/// <summary>Replica logs on Kubernetes: the pods/log API with the kubelet's timestamps, only for the deployment's own pods.</summary>
public sealed class PodLogsTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/portal-replicas/pods";

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

    private void AddPod(string name, Guid deploymentId, string log)
    {
        _server.Put($"{Pods}/{name}", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["labels"] = new JsonObject { ["portal.dev/deployment"] = deploymentId.ToString() },
            },
        });
        _server.PutLog($"{Pods}/{name}", log);
    }

    [Fact]
    public async Task Read_AsksForTheEnginesTimestampedLogSince_AndSplitsTheStampFromTheLine()
    {
        AddPod("chat-abc", TestDeployments.DeploymentId,
            "2026-12-07T10:05:17.123456789Z INFO 12-07 10:05:17 [api_server.py:1] Starting vLLM API server\n"
            + "2026-12-07T10:05:18.000000001Z Application startup complete.\n");

        var lines = await _runtime.ReadAsync(TestDeployments.DeploymentId, "chat-abc", DateTimeOffset.UtcNow.AddMinutes(-10));

        Assert.NotNull(lines);
        Assert.Equal(["INFO 12-07 10:05:17 [api_server.py:1] Starting vLLM API server", "Application startup complete."], lines.Select(l => l.Text));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 5, 17, TimeSpan.Zero).AddTicks(1234567), lines[0].Time);
        var request = Assert.Single(_server.Requests, r => r.Path == $"{Pods}/chat-abc/log");
        Assert.Contains("container=engine", request.Query, StringComparison.Ordinal);
        Assert.Contains("timestamps=true", request.Query, StringComparison.Ordinal);
        Assert.Matches("sinceSeconds=(599|600|601)", request.Query);
        Assert.DoesNotContain("tailLines", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_WithoutAStart_AsksForTheNewestLines()
    {
        AddPod("chat-tail", TestDeployments.DeploymentId, "2026-12-07T10:05:17Z newest\n");

        var lines = await _runtime.ReadAsync(TestDeployments.DeploymentId, "chat-tail", null);

        Assert.Equal(["newest"], lines!.Select(l => l.Text));
        var request = Assert.Single(_server.Requests, r => r.Path == $"{Pods}/chat-tail/log");
        Assert.Contains("tailLines=10000", request.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("sinceSeconds", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_StreamsTheLogWithFollowOn()
    {
        AddPod("chat-def", TestDeployments.DeploymentId, "2026-12-07T10:05:17Z one\n2026-12-07T10:05:18Z two\n");

        var lines = new List<string>();
        await foreach (var line in _runtime.FollowAsync(TestDeployments.DeploymentId, "chat-def"))
        {
            lines.Add(line.Text);
        }

        Assert.Equal(["one", "two"], lines);
        var request = Assert.Single(_server.Requests, r => r.Path == $"{Pods}/chat-def/log");
        Assert.Contains("follow=true", request.Query, StringComparison.Ordinal);
        Assert.Contains("tailLines=0", request.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_APodOfAnotherDeployment_IsUnknown_AndItsLogIsNeverAskedFor()
    {
        AddPod("other-pod", Guid.NewGuid(), "2026-12-07T10:05:17Z secret of another tenant\n");

        Assert.Null(await _runtime.ReadAsync(TestDeployments.DeploymentId, "other-pod", null));
        Assert.Null(await _runtime.ReadAsync(TestDeployments.DeploymentId, "missing-pod", null));
        Assert.Empty(await _runtime.FollowAsync(TestDeployments.DeploymentId, "other-pod").ToListAsync());
        Assert.DoesNotContain(_server.Requests, r => r.Path.EndsWith("/log", StringComparison.Ordinal));
    }
}
