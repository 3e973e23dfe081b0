using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// A dedicated endpoint's cost per request over the 30-day window, for a deployment created inside it: its replicas
/// are paid for the time they ran (creation to stop), not for the whole window. The replicas are real simulator
/// processes; the requests go through the gateway.
/// </summary>
public sealed class DedicatedCostTests(PortalApp app) : IClassFixture<PortalApp>
{
    private const int Requests = 5;

    [Fact]
    public async Task CostPerRequest_OfADeploymentCreatedMidWindow_IsProratedByItsReplicasLifetimes()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "cost-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));

        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "cost" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        using var openAi = new HttpClient { BaseAddress = app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var answered = 0;
        for (var attempt = 0; answered < Requests && attempt < 100; attempt++)
        {
            using var response = await openAi.PostAsJsonAsync("v1/chat/completions",
                new { model = "cost-chat", max_tokens = 4, messages = new[] { new { role = "user", content = "What does this cost?" } } });
            if (response.StatusCode == HttpStatusCode.OK)
            {
                answered++;
            }
            else
            {
                await Task.Delay(200); // the routing snapshot has not picked the endpoint up yet
            }
        }

        Assert.Equal(Requests, answered);
        await WaitForPrimaryRequestsAsync(client, Requests);

        Assert.True((await client.PostAsync($"api/v1/deployments/{id}/stop", null)).IsSuccessStatusCode);
        await DeploymentLifecycleTests.WaitForAsync(client, id,
            d => d.GetProperty("replicas").EnumerateArray().All(r => r.GetProperty("phase").GetString() == "Stopped"));

        // The figure by hand: each replica's hours from creation to stop × GPUs × price per GPU-hour, over the requests.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var deployment = await db.Deployments.Include(d => d.Replicas).SingleAsync(d => d.Id == Guid.Parse(id));
        Assert.All(deployment.Replicas, r => Assert.NotNull(r.StoppedAt));
        var hours = deployment.Replicas.Sum(r => (decimal)(r.StoppedAt!.Value - r.CreatedAt).Ticks / TimeSpan.TicksPerHour);
        var expected = hours * deployment.GpusPerReplica * deployment.PricePerGpuHour / Requests;
        Assert.True(expected > 0);

        var report = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=cost-chat");
        Assert.Equal("dedicated", report.GetProperty("serving").GetString());
        var primary = report.GetProperty("costs").EnumerateArray().Single(c => c.GetProperty("tier").GetString() == "primary");
        Assert.Equal(Requests, primary.GetProperty("requests").GetInt64());
        Assert.Equal(decimal.Round(expected, 12), decimal.Round(primary.GetProperty("perRequestUsd").GetDecimal(), 12));
        Assert.Equal((double)hours, primary.GetProperty("replicaHours").GetDouble(), 9);

        var ttft = await client.GetFromJsonAsync<JsonElement>("api/v1/observability/ttft?model=cost-chat&window=30d");
        var dedicated = ttft.GetProperty("tiers").EnumerateArray().Single(t => t.GetProperty("tier").GetString() == "dedicated");
        Assert.Equal(decimal.Round(expected, 12), decimal.Round(dedicated.GetProperty("costPerRequest").GetDecimal(), 12));
    }

    /// <summary>Samples are written in the background: wait until the window holds every request.</summary>
    private static async Task WaitForPrimaryRequestsAsync(HttpClient client, int count)
    {
        long seen = 0;
        for (var i = 0; i < 50; i++)
        {
            var report = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=cost-chat");
            seen = report.GetProperty("costs").EnumerateArray().Single(c => c.GetProperty("tier").GetString() == "primary").GetProperty("requests").GetInt64();
            if (seen >= count)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{seen} of {count} requests measured.");
    }
}
