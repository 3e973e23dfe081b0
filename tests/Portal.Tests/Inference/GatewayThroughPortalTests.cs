using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using OpenAI.Chat;
using Portal.Data;
using Portal.Gateway.Samples;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Inference;

/// <summary>
/// The whole path: a key made through the management API, a deployment whose replicas are simulator processes, and the
/// official OpenAI SDK pointed at the portal's /v1 with only its base URL and key changed.
/// </summary>
public sealed class GatewayThroughPortalTests(PortalApp app) : IClassFixture<PortalApp>
{
    private async Task<(HttpClient Client, string Key, string DeploymentId)> DeployAsync(string name)
    {
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 2, region = "us-east",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var key = await (await client.PostAsJsonAsync("api/v1/keys", new { name = $"{name} app" })).Content.ReadFromJsonAsync<JsonElement>();
        await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
        return (client, key.GetProperty("secret").GetString()!, id);
    }

    private ChatClient Sdk(string model, string key) =>
        new(model, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(app.BaseAddress, "v1") });

    [Fact]
    public async Task OpenAiSdk_StreamsAndNonStreams_ThroughThePortal_AndEveryRequestIsMeasured()
    {
        var (client, key, _) = await DeployAsync("sdk-chat");
        await Task.Delay(2500); // the routing snapshot picks up the Ready replica
        var chat = Sdk("sdk-chat", key);

        var completion = await chat.CompleteChatAsync([new UserChatMessage("Say hello")]);
        var streamed = new List<string>();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Stream a story")]))
        {
            streamed.AddRange(update.ContentUpdate.Select(c => c.Text));
        }

        Assert.False(string.IsNullOrWhiteSpace(completion.Value.Content[0].Text));
        Assert.True(streamed.Count > 1);
        await WaitForSamplesAsync(2, "sdk-chat");
        await using var scope = app.Services.CreateAsyncScope();
        var samples = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().RequestSamples.AsNoTracking()
            .Where(s => s.Model == "sdk-chat").ToListAsync();
        Assert.Equal(2, samples.Count(s => s.StatusCode == 200 && !s.Shadow));
        Assert.Contains(samples, s => s.Streamed && s.TtftMs > 0 && s.CompletionTokens > 0);
        client.Dispose();
    }

    [Fact]
    public async Task RevokedKey_Gets401_InOpenAisShape()
    {
        var (client, key, _) = await DeployAsync("revoked-chat");
        var keys = await client.GetFromJsonAsync<JsonElement>("api/v1/keys");
        var id = keys.EnumerateArray().First(k => k.GetProperty("name").GetString() == "revoked-chat app").GetProperty("id").GetString();

        await client.PostAsync($"api/v1/keys/{id}/revoke", null);

        using var raw = new HttpClient { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "revoked-chat", messages = new[] { new { role = "user", content = "hi" } } }),
        };
        request.Headers.Authorization = new("Bearer", key);
        var response = await raw.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(error.GetProperty("error").TryGetProperty("message", out _));
        client.Dispose();
    }

    [Fact]
    public async Task Flip_SendsTrafficToTheOtherTarget_AndFlipBackRollsBack_BothAudited()
    {
        var (client, key, _) = await DeployAsync("flip-chat");
        await using var serverless = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = 0, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, TimeScale = 0.01,
        });
        app.AllowOutbound(serverless.BaseUri);
        var endpoints = await client.GetFromJsonAsync<JsonElement>("api/v1/endpoints");
        var endpointId = endpoints.EnumerateArray().First(e => e.GetProperty("name").GetString() == "flip-chat").GetProperty("id").GetString();
        var shadow = await client.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/shadow", new
        {
            share = 0.0,
            serverless = new { baseUrl = new Uri(serverless.BaseUri, "v1/").ToString(), upstreamModel = "vendor-llama-8b", apiKey = "vendor-secret",
                region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        Assert.Equal(HttpStatusCode.OK, shadow.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"api/v1/endpoints/{endpointId}/flip", null)).StatusCode);
        await Sdk("flip-chat", key).CompleteChatAsync([new UserChatMessage("Where am I served?")]);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync($"api/v1/endpoints/{endpointId}/flip", null)).StatusCode);
        await Task.Delay(2500);
        await Sdk("flip-chat", key).CompleteChatAsync([new UserChatMessage("And now?")]);

        await WaitForSamplesAsync(2, "flip-chat");
        await using var scope = app.Services.CreateAsyncScope();
        var tiers = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().RequestSamples.AsNoTracking()
            .Where(s => s.Model == "flip-chat").OrderBy(s => s.Id).Select(s => s.Tier).ToListAsync();
        Assert.Equal([Portal.Core.Gateway.TargetKind.Serverless, Portal.Core.Gateway.TargetKind.Dedicated], tiers);
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var demo = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetString();
        var log = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={demo}&resourceId={endpointId}");
        Assert.Equal(2, log.GetProperty("records").EnumerateArray().Count(r => r.GetProperty("action").GetString() == "endpoint.flipped"));
        Assert.DoesNotContain("vendor-secret", log.ToString());
        client.Dispose();
    }

    private async Task WaitForSamplesAsync(int count, string? model = null)
    {
        for (var i = 0; i < 50; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            if (await db.RequestSamples.CountAsync(s => model == null || s.Model == model) >= count)
            {
                return;
            }

            await Task.Delay(200);
        }
    }
}
