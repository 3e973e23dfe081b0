using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>
/// A load burst through the gateway against simulator replicas: the deployment scales out onto a burst replica that
/// takes traffic only once Ready, and quiet drains it back to the baseline while its stream in flight completes.
/// </summary>
public sealed class ElasticBurstTests
{
    private const string Model = "burst-chat";

    [Fact]
    public async Task LoadBurst_ScalesOutOntoAReadyBurstReplica_AndQuietDrainsItBack_WithoutAFailedRequest()
    {
        var app = new PortalApp().With("Autoscale:IntervalSeconds", "0.5");
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            using var client = app.NewClient();
            await client.SignInAsync("dev@demo.local");
            var created = await client.PostAsJsonAsync("api/v1/deployments", new
            {
                name = Model, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
                gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 2, region = "us-east",
            });
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "burst app" })).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("secret").GetString()!;
            var policy = await client.PutAsJsonAsync($"api/v1/deployments/{id}/autoscale", new
            {
                targetInFlightPerReplica = 2, scaleOutAfterSeconds = 2, scaleInAfterSeconds = 2, quietBelowFraction = 0.95, cooldownSeconds = 3,
                drainTimeoutSeconds = 60,
            });
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);
            await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
            await Task.Delay(2500); // the routing snapshot picks up the Ready replica and the policy's saturation bound

            using var gateway = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(90) };
            var failed = 0;
            var completed = 0;
            using var stopLoad = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    Interlocked.Increment(ref await StreamAsync(gateway, key, 100) ? ref completed : ref failed);
                }
            })).ToList();

            await DeploymentLifecycleTests.WaitForAsync(client, id, d => Replicas(d).Count(r => r.Phase == "Ready") == 2
                && Replicas(d).Any(r => r.IsBurst && r.Phase == "Ready"), seconds: 90);
            await Task.Delay(4000); // the burst replica takes the overflow above the target
            stopLoad.Cancel();
            await Task.WhenAll(workers);

            // Quiet (3 in flight on 2 replicas is below 0.95 × 2): the third long stream lands on the burst replica
            // (the baseline is saturated at 2), which is the one scale-in drains.
            var longStreams = new List<Task<bool>>();
            for (var i = 0; i < 3; i++)
            {
                longStreams.Add(StreamAsync(gateway, key, 700));
                await Task.Delay(300);
            }

            var back = await DeploymentLifecycleTests.WaitForAsync(client, id, d => Replicas(d).Count == 1
                && DeploymentLifecycleTests.AllReady(d, 1) && d.GetProperty("deployment").GetProperty("desiredReplicas").GetInt32() == 1, seconds: 90);
            var longResults = await Task.WhenAll(longStreams);

            Assert.Equal(0, failed);
            Assert.True(completed > 6, $"only {completed} requests completed");
            Assert.All(longResults, Assert.True);
            Assert.False(Replicas(back).Single().IsBurst);
            var kinds = back.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
            Assert.Contains("replica.draining", kinds);
            Assert.Contains("replica.drained", kinds);
            Assert.DoesNotContain("replica.drain_timeout", kinds);

            var timeline = await client.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}/autoscale");
            var steps = timeline.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("from").GetInt32(), e.GetProperty("to").GetInt32())).ToList();
            Assert.Equal([(2, 1), (1, 2)], steps);
            Assert.All(timeline.GetProperty("events").EnumerateArray(), e => Assert.Contains("in flight per Ready replica", e.GetProperty("reason").GetString()));

            await AssertBurstReplicaServedOnlyOnceReadyAsync(app, Guid.Parse(id));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static async Task AssertBurstReplicaServedOnlyOnceReadyAsync(PortalApp app, Guid deploymentId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var burst = await db.Replicas.AsNoTracking().SingleAsync(r => r.DeploymentId == deploymentId && r.IsBurst);
        var burstId = burst.Id.ToString();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        List<Data.Entities.RequestSampleRow> samples;
        do
        {
            await Task.Delay(500);
            samples = await db.RequestSamples.AsNoTracking().Where(s => s.ReplicaId == burstId).ToListAsync();
        }
        while (!samples.Any(s => s.CompletionTokens == 700) && DateTime.UtcNow < deadline);

        Assert.NotNull(burst.ReadyAt);
        Assert.NotNull(burst.StoppedAt);
        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.True(s.Burst && s.Timestamp >= burst.ReadyAt, $"a request reached the burst replica at {s.Timestamp:O}, before Ready at {burst.ReadyAt:O}"));
        // The long stream that was in flight when scale-in began finished on the draining replica before it stopped.
        Assert.Contains(samples, s => s.CompletionTokens == 700 && s.StatusCode == 200 && s.Timestamp.AddMilliseconds(s.EndToEndMs) <= burst.StoppedAt);
    }

    private static List<(string Phase, bool IsBurst)> Replicas(JsonElement detail) => detail.GetProperty("replicas").EnumerateArray()
        .Select(r => (r.GetProperty("phase").GetString()!, r.GetProperty("isBurst").GetBoolean())).ToList();

    /// <summary>One streaming chat completion through the gateway; true when it ran to <c>[DONE]</c> without an error event.</summary>
    private static async Task<bool> StreamAsync(HttpClient gateway, string key, int maxTokens)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = Model, stream = true, max_tokens = maxTokens, messages = new[] { new { role = "user", content = "Tell a long story" } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            using var response = await gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var body = await response.Content.ReadAsStringAsync();
            return response.IsSuccessStatusCode && body.Contains("data: [DONE]", StringComparison.Ordinal) && !body.Contains("\"error\"", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return false;
        }
    }
}
