using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Residency;

/// <summary>
/// An EU-locked endpoint under load through the gateway: it bursts onto another EU region while the US pool with room
/// is refused, and when its EU replicas crash the gateway answers 503 with Retry-After instead of serving abroad.
/// </summary>
public sealed class ResidencyFailoverTests
{
    private const string Model = "eu-chat";
    private const int RetryAfterSeconds = 3;
    private static readonly HashSet<string> Eu = ["eu-frankfurt", "eu-amsterdam", "eu-paris"];

    private sealed record Outcome(DateTimeOffset At, int Status, string? RetryAfter);

    [Fact]
    public async Task EuLockedEndpoint_UnderBurstAndFailover_IsServedOnlyInTheEu_AndAnswers503WithRetryAfterWhenNoEuCapacityIsLeft()
    {
        // Burst pools: none in Frankfurt (home) or Paris, one GPU in Amsterdam, and the US pools of appsettings.json with
        // plenty of room: the first burst replica must go to Amsterdam, a second one nowhere.
        var app = new PortalApp()
            .With("Autoscale:IntervalSeconds", "0.5")
            .With("Runtimes:Local:SimulatorWeightLoadSeconds", "3")
            .With("Gateway:NoCapacityRetryAfterSeconds", RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Burst:Pools:5:Gpus", "0")
            .With("Burst:Pools:6:Gpus", "1")
            .With("Burst:Pools:7:Gpus", "0");
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            using var admin = app.NewClient();
            await admin.SignInAsync("admin@demo.local");
            var policy = await admin.PutAsJsonAsync("api/v1/residency/policy", new { jurisdictions = new[] { "EU" }, reason = "GDPR: EU data stays in the EU" });
            Assert.Equal(HttpStatusCode.OK, policy.StatusCode);

            using var client = app.NewClient();
            await client.SignInAsync("dev@demo.local");
            var created = await client.PostAsJsonAsync("api/v1/deployments", new
            {
                name = Model, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
                gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 3, region = "eu-frankfurt",
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "eu app" })).Content.ReadFromJsonAsync<JsonElement>())
                .GetProperty("secret").GetString()!;
            await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"api/v1/deployments/{id}/autoscale", new
            {
                targetInFlightPerReplica = 2, scaleOutAfterSeconds = 1, scaleInAfterSeconds = 600, quietBelowFraction = 0.5, cooldownSeconds = 2,
                drainTimeoutSeconds = 60,
            })).StatusCode);
            await Task.Delay(2500); // the routing snapshot picks up the Ready replica

            using var gateway = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var outcomes = new ConcurrentQueue<Outcome>();
            using var stopLoad = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    var outcome = await SendAsync(gateway, key);
                    outcomes.Enqueue(outcome);
                    if (outcome.Status != 200)
                    {
                        await Task.Delay(200);
                    }
                }
            })).ToList();

            // Burst: a second replica, in Amsterdam. The load asks for a third past the cool-down, but no EU pool has room
            // left (the US ones do): the deployment stays at two.
            var burst = await DeploymentLifecycleTests.WaitForAsync(client, id, d => Replicas(d).Count(r => r.Phase == "Ready") == 2, seconds: 30);
            Assert.Contains(Replicas(burst), r => r.IsBurst && r.Region == "eu-amsterdam" && r.Phase == "Ready");
            await Task.Delay(3500);
            Assert.Equal(2, Replicas(await client.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}")).Count);

            // Failover: both EU replica processes crash; nothing is left in the lock until the reconciler restarts them.
            var killedAt = DateTimeOffset.UtcNow;
            foreach (var replica in Replicas(burst).Where(r => r.Phase == "Ready"))
            {
                DeploymentLifecycleTests.KillListener(new Uri(replica.BaseUrl!).Port);
            }

            await WaitUntilAsync(() => outcomes.Any(o => o.Status == 503), TimeSpan.FromSeconds(20));
            await WaitUntilAsync(() => outcomes.Any(o => o.Status == 200 && o.At > outcomes.Where(n => n.Status == 503).Max(n => n.At)),
                TimeSpan.FromSeconds(20));
            await stopLoad.CancelAsync();
            await Task.WhenAll(workers);

            var all = outcomes.ToList();
            // 502: a request sent to a crashed replica before the next snapshot refresh, with no other to fail over to;
            // 0: a stream cut by the crash. Neither is ever served from outside the lock.
            Assert.All(all, o => Assert.Contains(o.Status, new[] { 200, 502, 503, 0 }));
            Assert.Contains(all, o => o.Status == 200 && o.At < killedAt);
            var refused = all.Where(o => o.Status == 503).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, o => Assert.Equal(RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), o.RetryAfter));

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var deploymentId = Guid.Parse(id);
            var replicas = await db.Replicas.AsNoTracking().Where(r => r.DeploymentId == deploymentId).ToListAsync();
            Assert.Equal(2, replicas.Count);
            Assert.All(replicas, r => Assert.Contains(r.Region, Eu));
            var endpoint = await db.Endpoints.AsNoTracking().Where(e => e.Name == Model).Select(e => e.Id).SingleAsync();
            List<Data.Entities.RequestSampleRow> samples = [];
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (samples.Count < all.Count(o => o.Status != 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(300);
                samples = await db.RequestSamples.AsNoTracking().Where(s => s.EndpointId == endpoint).ToListAsync();
            }

            Assert.True(samples.Count(s => s.StatusCode == 200) >= all.Count(o => o.Status == 200), "every answered request has its sample");
            Assert.All(samples.Where(s => s.Region is not null), s => Assert.Contains(s.Region!, Eu));
            Assert.All(samples.Where(s => s.StatusCode == 200), s => Assert.Contains(s.Region!, Eu));
            Assert.Contains(samples, s => s.StatusCode == 200 && s.Burst && s.Region == "eu-amsterdam");
            Assert.Contains(samples, s => s.StatusCode == 200 && !s.Burst && s.Region == "eu-frankfurt");
            Assert.Equal(refused.Count, samples.Count(s => s.StatusCode == 503 && s.ErrorCode == "no_capacity"));
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    private static List<(string Phase, string Region, bool IsBurst, string? BaseUrl)> Replicas(JsonElement detail) =>
        detail.GetProperty("replicas").EnumerateArray()
            .Select(r => (r.GetProperty("phase").GetString()!, r.GetProperty("region").GetString()!, r.GetProperty("isBurst").GetBoolean(),
                r.GetProperty("baseUrl").GetString())).ToList();

    /// <summary>One streaming chat completion through the gateway: its status and Retry-After.</summary>
    private static async Task<Outcome> SendAsync(HttpClient gateway, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new
            {
                model = Model, stream = true, max_tokens = 100, messages = new[] { new { role = "user", content = "Where is my order?" } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            using var response = await gateway.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.ReadAsStringAsync();
            var retryAfter = response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return new Outcome(DateTimeOffset.UtcNow, (int)response.StatusCode, retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return new Outcome(DateTimeOffset.UtcNow, 0, null);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }
}
