using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Runtimes;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

public sealed class ConvergenceAfterRestartTests
{
    [Fact]
    public async Task PortalStoppedMidDeploy_ConvergesOnRestart_WithNoOrphanedOrDuplicatedReplicas()
    {
        var first = new PortalApp { KeepOnDispose = true };
        await ((IAsyncLifetime)first).InitializeAsync();
        string id;
        using (var client = first.NewClient())
        {
            await client.SignInAsync("dev@demo.local");
            var created = await client.PostAsJsonAsync("api/v1/deployments", new
            {
                name = "restart-me", model = new { source = "Catalog", catalogId = "qwen2.5-7b-instruct" }, engine = "Vllm",
                gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 2, maxReplicas = 2, region = "us-west",
            });
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            // Stop the portal as soon as a replica process exists but before the deployment is Ready.
            await DeploymentLifecycleTests.WaitForAsync(client, id, d =>
                d.GetProperty("replicas").EnumerateArray().Any(r => r.GetProperty("baseUrl").ValueKind == JsonValueKind.String)
                && d.GetProperty("deployment").GetProperty("status").GetString() != "Ready");
        }

        await ((IAsyncLifetime)first).DisposeAsync();

        await using var second = PortalApp.OnExistingData(first.DataDirectory);
        await ((IAsyncLifetime)second).InitializeAsync();
        using var again = second.NewClient();
        await again.SignInAsync("dev@demo.local");

        var converged = await DeploymentLifecycleTests.WaitForAsync(again, id, d => DeploymentLifecycleTests.AllReady(d, 2), seconds: 90);

        var running = await second.Services.GetRequiredService<IReplicaRuntime>().ListReplicasAsync(Guid.Parse(id));
        Assert.Equal(2, running.Count);
        Assert.Equal(
            converged.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("baseUrl").GetString()).Order(),
            running.Select(h => h.BaseUri!.ToString()).Order());
        await ((IAsyncLifetime)second).DisposeAsync();
    }
}
