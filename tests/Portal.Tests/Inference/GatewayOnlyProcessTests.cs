using System.ClientModel;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Inference;

/// <summary>The gateway as its own process (Portal:Role=Gateway) on the portal's database, for scaling the data plane.</summary>
public sealed class GatewayOnlyProcessTests
{
    [Fact]
    public async Task GatewayRole_ServesV1FromTheSameDatabase_AndNothingElse()
    {
        await using var portal = new PortalApp();
        await ((IAsyncLifetime)portal).InitializeAsync();
        using var client = portal.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "edge-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "edge" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));

        var gateway = PortalApp.OnExistingData(portal.DataDirectory).With("Portal:Role", "Gateway");
        gateway.KeepOnDispose = true;
        await ((IAsyncLifetime)gateway).InitializeAsync();
        try
        {
            var chat = new ChatClient("edge-chat", new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseAddress, "v1") });
            var reply = await chat.CompleteChatAsync([new UserChatMessage("Hello from the edge")]);

            Assert.False(string.IsNullOrWhiteSpace(reply.Value.Content[0].Text));
            using var other = gateway.NewClient();
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("health/ready")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("api/v1/me")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("account/login")).StatusCode);
        }
        finally
        {
            await ((IAsyncLifetime)gateway).DisposeAsync();
            await ((IAsyncLifetime)portal).DisposeAsync();
        }
    }
}
