using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>Deploy through the API; the replicas are real simulator processes on loopback.</summary>
public sealed class DeploymentLifecycleTests(PortalApp app) : IClassFixture<PortalApp>
{
    private static object Spec(string name, int replicas = 1) => new
    {
        name,
        model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" },
        engine = "Vllm",
        gpuType = "h100-80gb",
        gpusPerReplica = 1,
        baselineReplicas = replicas,
        maxReplicas = replicas + 1,
        region = "us-east",
    };

    private async Task<HttpClient> DeveloperAsync()
    {
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        return client;
    }

    internal static async Task<JsonElement> WaitForAsync(HttpClient client, string id, Func<JsonElement, bool> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement detail = default;
        while (DateTime.UtcNow < deadline)
        {
            detail = await client.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}");
            if (condition(detail))
            {
                return detail;
            }

            await Task.Delay(300);
        }

        Assert.Fail($"The deployment did not reach the expected state in {seconds} s: {detail}");
        return detail;
    }

    internal static bool AllReady(JsonElement detail, int count) =>
        detail.GetProperty("deployment").GetProperty("status").GetString() == "Ready"
        && detail.GetProperty("replicas").EnumerateArray().Count(r => r.GetProperty("phase").GetString() == "Ready") == count;

    /// <summary>Replicas answer /v1 only with their own secret, which only the platform reads back.</summary>
    private async Task<string> SecretOfAsync(Guid replicaId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<Portal.Data.PortalDbContext>().Replicas.FindAsync(replicaId);
        return scope.ServiceProvider.GetRequiredService<Portal.Deployments.ReplicaKeys>().Reveal(row!)!;
    }

    [Fact]
    public async Task Deploy_StartsSimulatorReplicas_ThatAnswerModels_AndBecomeReady()
    {
        using var client = await DeveloperAsync();
        var created = await client.PostAsJsonAsync("api/v1/deployments", Spec("chat-ready", replicas: 2));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var detail = await WaitForAsync(client, id, d => AllReady(d, 2));

        foreach (var replica in detail.GetProperty("replicas").EnumerateArray())
        {
            using var direct = new HttpClient { BaseAddress = new Uri(replica.GetProperty("baseUrl").GetString()!) };
            direct.DefaultRequestHeaders.Authorization = new("Bearer", await SecretOfAsync(replica.GetProperty("id").GetGuid()));
            var models = await direct.GetFromJsonAsync<JsonElement>("v1/models");
            Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == detail.GetProperty("deployment").GetProperty("servedModelName").GetString());
        }

        var events = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("replica.starting", events);
        Assert.Contains("replica.warming", events);
        Assert.Contains("replica.ready", events);
        Assert.StartsWith("vllm serve", detail.GetProperty("commandLine").GetString());
        Assert.Contains("nvidia.com/gpu", detail.GetProperty("kubernetesManifest").GetString());
    }

    [Fact]
    public async Task KilledReplicaProcess_IsRestarted_AndTheEventRecorded()
    {
        using var client = await DeveloperAsync();
        var created = await client.PostAsJsonAsync("api/v1/deployments", Spec("chat-crash"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var ready = await WaitForAsync(client, id, d => AllReady(d, 1));
        var replica = ready.GetProperty("replicas")[0];
        var port = new Uri(replica.GetProperty("baseUrl").GetString()!).Port;

        KillListener(port);

        var restarted = await WaitForAsync(client, id, d =>
            AllReady(d, 1) && d.GetProperty("replicas")[0].GetProperty("restarts").GetInt32() >= 1, seconds: 90);
        Assert.Contains(restarted.GetProperty("events").EnumerateArray(),
            e => e.GetProperty("kind").GetString() is "replica.exited" or "replica.failed");
    }

    [Fact]
    public async Task Scale_Stop_AndDelete_AreApplied_AndAudited()
    {
        using var client = await DeveloperAsync();
        var created = await client.PostAsJsonAsync("api/v1/deployments", Spec("chat-scale"));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await WaitForAsync(client, id, d => AllReady(d, 1));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"api/v1/deployments/{id}/scale", new { baselineReplicas = 2 })).StatusCode);
        await WaitForAsync(client, id, d => AllReady(d, 2));
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"api/v1/deployments/{id}/stop", null)).StatusCode);
        await WaitForAsync(client, id, d => d.GetProperty("replicas").GetArrayLength() == 0);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"api/v1/deployments/{id}")).StatusCode);

        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var me = await admin.GetFromJsonAsync<JsonElement>("api/v1/me");
        var demo = me.GetProperty("tenants").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetString();
        var log = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&resourceId={id}");
        Assert.Equal(["deployment.deleted", "deployment.stopped", "deployment.scaled", "deployment.created"],
            log.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("action").GetString()));
    }

    /// <summary>Kills the process listening on a loopback port, as a crash would.</summary>
    internal static void KillListener(int port)
    {
        var inode = File.ReadAllLines("/proc/net/tcp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(f => f[1].EndsWith($":{port:X4}") && f[3] == "0A")[9];
        foreach (var process in Process.GetProcesses())
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries($"/proc/{process.Id}/fd")
                    .Any(fd => new FileInfo(fd).LinkTarget == $"socket:[{inode}]"))
                {
                    process.Kill();
                    return;
                }
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException or InvalidOperationException)
            {
                // Not ours to look into, or gone.
            }
        }

        Assert.Fail($"No process listens on port {port}.");
    }
}
