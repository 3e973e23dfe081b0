using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Deployments;
using Portal.Health;
using Portal.Observability;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>
/// Replicas answer only the platform: each simulator process the local runtime starts demands its own secret on /v1,
/// while the portal's gateway, health probes and metric scrapes present it and keep working.
/// </summary>
public sealed class ReplicaSecretTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<(HttpClient Client, string InferenceKey, JsonElement Detail)> DeployAsync(string name)
    {
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 2, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var key = await (await client.PostAsJsonAsync("api/v1/keys", new { name = $"{name} app" })).Content.ReadFromJsonAsync<JsonElement>();
        var detail = await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
        return (client, key.GetProperty("secret").GetString()!, detail);
    }

    private async Task<(Replica Row, string Secret)> ReplicaAsync(Guid replicaId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Replicas.AsNoTracking().SingleAsync(r => r.Id == replicaId);
        return (row, scope.ServiceProvider.GetRequiredService<ReplicaKeys>().Reveal(row)!);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient http, HttpMethod method, Uri uri, string? bearer, object? body = null)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task Replica_CalledWithoutOrWithAWrongSecret_Answers401_AndTheTenantNeverSeesTheSecret()
    {
        var (client, _, detail) = await DeployAsync("secret-direct");
        var replica = detail.GetProperty("replicas").EnumerateArray().Single();
        var baseUri = new Uri(replica.GetProperty("baseUrl").GetString()!);
        var (row, secret) = await ReplicaAsync(replica.GetProperty("id").GetGuid());
        using var direct = new HttpClient();
        var chat = new { model = "secret-direct", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 1 };

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(direct, HttpMethod.Get, new Uri(baseUri, "v1/models"), null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(direct, HttpMethod.Get, new Uri(baseUri, "v1/models"), secret + "x"));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(direct, HttpMethod.Post, new Uri(baseUri, "v1/chat/completions"), null, chat));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(direct, HttpMethod.Get, new Uri(baseUri, "v1/models"), secret));

        Assert.StartsWith("rs_", secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, row.ProtectedApiKey!, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, detail.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("--api-key '<redacted>'", detail.GetProperty("commandLine").GetString(), StringComparison.Ordinal);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var recorded = JsonSerializer.Serialize(new
        {
            audit = await db.AuditRecords.AsNoTracking().ToListAsync(),
            events = await db.DeploymentEvents.AsNoTracking().Select(e => e.Message).ToListAsync(),
        });
        Assert.DoesNotContain(secret, recorded, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task GatewayProbesAndScrapes_PresentTheReplicasSecret_AndKeepWorking()
    {
        var (client, inferenceKey, detail) = await DeployAsync("secret-gateway");
        var replicaId = detail.GetProperty("replicas").EnumerateArray().Single().GetProperty("id").GetGuid();
        var (_, secret) = await ReplicaAsync(replicaId);

        // Through the portal's /v1: the gateway reaches the replica with its secret once the routing snapshot has it.
        using var gateway = new HttpClient { BaseAddress = app.BaseAddress };
        var chat = new { model = "secret-gateway", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 };
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 40 && status != HttpStatusCode.OK; attempt++)
        {
            status = await StatusAsync(gateway, HttpMethod.Post, new Uri("v1/chat/completions", UriKind.Relative), inferenceKey, chat);
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(250);
            }
        }

        Assert.Equal(HttpStatusCode.OK, status);

        // Health probes: the replica's readiness probe (v1/models) passes only with its secret.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(DateTimeOffset.UtcNow, CancellationToken.None);
            var state = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ProbeSubjectStates.AsNoTracking()
                .SingleAsync(s => s.SubjectId == replicaId);
            Assert.True(state.LastOk, "the probe of the replica failed");
        }

        // Metric scrapes carry the secret for the replica's source.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var sources = await scope.ServiceProvider.GetRequiredService<ServerMetricsScrapeJob>().SourcesAsync(CancellationToken.None);
            var source = Assert.Single(sources, s => s.Name == $"replica/{replicaId:n}");
            Assert.Equal(secret, source.ApiKey);
            Assert.DoesNotContain(secret, source.ToString(), StringComparison.Ordinal);
        }

        client.Dispose();
    }
}
