using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Gateway.Outbound;
using Portal.Health;
using Portal.Tests.Deployments;
using Portal.Tests.Health;
using Portal.Tests.Support;

namespace Portal.Tests.Outbound;

/// <summary>
/// A tenant cannot point the portal inward. Tenant A (Acme Research) aims a serverless endpoint, a shadow target and a
/// webhook at tenant B's live replica on loopback, at localhost, at the cloud metadata address, at a private address and
/// at the portal's own /v1: each is refused at creation naming the rule. A name that resolved outward when it was
/// registered and inward later is refused when called — by the gateway, the probes and webhook delivery — with a plain
/// message. An operator allow-list entry lets exactly its target through.
/// </summary>
public sealed class OutboundGuardTests : IAsyncLifetime
{
    private static readonly IPAddress Outside = IPAddress.Parse("203.0.113.10");
    private readonly TestOutboundResolver _resolver = new();
    private readonly PortalApp _app;
    private HttpClient _admin = default!;
    private string _acme = default!;
    private Uri _victim = default!;

    public OutboundGuardTests() => _app = new PortalApp().WithOutboundResolver(_resolver);

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        // Tenant B: the demo tenant's developer runs a dedicated replica (a real simulator process on loopback).
        using var developer = _app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var created = await developer.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "victim-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var ready = await DeploymentLifecycleTests.WaitForAsync(developer, id, d => DeploymentLifecycleTests.AllReady(d, 1));
        _victim = new Uri(ready.GetProperty("replicas")[0].GetProperty("baseUrl").GetString()!);

        // Tenant A: Acme Research, acted for by its admin.
        _admin = _app.NewClient();
        await _admin.SignInAsync("admin@demo.local");
        _acme = (await _admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        _admin?.Dispose();
        await _app.StopReplicasAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    public static TheoryData<string> Inward => new() { "victim", "localhost", "metadata", "private", "own" };

    [Theory]
    [MemberData(nameof(Inward))]
    public async Task InwardUrl_RefusedAtCreation_ForServerlessShadowAndWebhook_NamingTheRule(string aim)
    {
        var (url, rule) = aim switch
        {
            "victim" => (new Uri(_victim, "v1/"), $"loopback addresses are not allowed (127.0.0.1)"),
            "localhost" => (new Uri($"http://localhost:{_victim.Port}/v1/"), "loopback addresses are not allowed"),
            "metadata" => (new Uri("http://169.254.169.254/latest/"), "link-local and cloud metadata addresses are not allowed (169.254.169.254)"),
            "private" => (new Uri("http://10.12.0.7:8000/v1/"), "private network addresses are not allowed (10.12.0.7)"),
            _ => (new Uri(_app.BaseAddress, "v1/"), "the portal's own addresses are not allowed (127.0.0.1)"),
        };

        var serverless = await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={_acme}", Serverless($"sneaky-{aim}", url));
        await AssertRefusedAsync(serverless, "BaseUrl", rule);

        var endpointId = await PublicEndpointAsync($"shadowed-{aim}");
        var shadow = await _admin.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/shadow?tenantId={_acme}", new
        {
            share = 0.1, serverless = new { baseUrl = url.ToString(), upstreamModel = "m", inputPricePerMillion = 0, outputPricePerMillion = 0 },
        });
        await AssertRefusedAsync(shadow, "BaseUrl", rule);

        var webhook = await _admin.PostAsJsonAsync($"api/v1/webhooks?tenantId={_acme}", new { url = new Uri(url, "hook").ToString() });
        await AssertRefusedAsync(webhook, "url", rule);

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        Assert.False(await db.Targets.AnyAsync(t => t.BaseUrl == url.ToString()));
        Assert.False(await db.Webhooks.AnyAsync(w => w.Url.StartsWith(url.ToString())));
    }

    [Fact]
    public async Task NameResolvingInwardAfterRegistration_RefusedAtCallTime_ByGatewayAndProbe_WithAPlainMessage()
    {
        _resolver.Set("provider.test", Outside);
        var created = await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={_acme}",
            Serverless("rebound-chat", new Uri($"http://provider.test:{_victim.Port}/v1/")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var targetId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("primary").GetProperty("id").GetGuid();
        _resolver.Set("provider.test", IPAddress.Loopback);

        using var openAi = await InferenceClientAsync();
        using var response = await openAi.PostAsJsonAsync("v1/chat/completions",
            new { model = "rebound-chat", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("upstream_refused", error.GetProperty("error").GetProperty("code").GetString());

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(FutureWindow(), CancellationToken.None);
        }

        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var records = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().ProbeRecords.AsNoTracking()
                .Where(p => p.TargetId == targetId).ToListAsync();
            Assert.NotEmpty(records);
            Assert.All(records, r => Assert.Equal((false, OutboundRefusedException.PlainMessage), (r.Ok, r.Detail)));
        }
    }

    [Fact]
    public async Task WebhookNameResolvingInward_DeliveryRefused_UntilTheOperatorAllowsExactlyThatReceiver()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        _resolver.Set("hooks.test", Outside);
        var created = await _admin.PostAsJsonAsync($"api/v1/webhooks?tenantId={_acme}", new { url = $"http://hooks.test:{receiver.Url.Port}/hook" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var hookId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        _resolver.Set("hooks.test", IPAddress.Loopback);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => DeliverAsync(hookId));
        Assert.True(OutboundRefusedException.IsRefusal(refused));
        Assert.Empty(receiver.Deliveries);

        // The entry names the address the name now resolves to, as an operator allows an internal receiver by address.
        _app.AllowOutbound(new Uri($"http://127.0.0.1:{receiver.Url.Port}/"));
        await DeliverAsync(hookId);

        Assert.Single(receiver.Deliveries);
    }

    [Fact]
    public async Task OperatorAllowListEntry_LetsExactlyThatInternalTargetThrough()
    {
        await using var allowed = await HealthTestKit.StartUpstreamAsync();
        await using var other = await HealthTestKit.StartUpstreamAsync();
        var before = await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={_acme}", Serverless("internal-chat", new Uri(allowed.BaseUri, "v1/")));
        await AssertRefusedAsync(before, "BaseUrl", "loopback addresses are not allowed (127.0.0.1)");

        _app.AllowOutbound(allowed.BaseUri);
        var created = await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={_acme}", Serverless("internal-chat", new Uri(allowed.BaseUri, "v1/")));
        var stillRefused = await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={_acme}", Serverless("other-chat", new Uri(other.BaseUri, "v1/")));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await AssertRefusedAsync(stillRefused, "BaseUrl", "loopback addresses are not allowed (127.0.0.1)");
        using var openAi = await InferenceClientAsync();
        using var response = await openAi.PostAsJsonAsync("v1/chat/completions",
            new { model = "internal-chat", messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static object Serverless(string name, Uri baseUrl) => new
    {
        name, target = new { baseUrl = baseUrl.ToString(), upstreamModel = "vendor-llama-8b", region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
    };

    private async Task<string> PublicEndpointAsync(string name)
    {
        _resolver.Set("api.provider.test", Outside);
        var created = await _admin.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={_acme}", Serverless(name, new Uri("https://api.provider.test/v1/")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private async Task<HttpClient> InferenceClientAsync()
    {
        var key = await (await _admin.PostAsJsonAsync($"api/v1/keys?tenantId={_acme}", new { name = "outbound test" })).Content.ReadFromJsonAsync<JsonElement>();
        var client = new HttpClient { BaseAddress = _app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.GetProperty("secret").GetString());
        return client;
    }

    private async Task DeliverAsync(Guid hookId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookDelivery>().DeliverAsync(hookId, "{\"event\":\"test\"}", CancellationToken.None);
    }

    private static DateTimeOffset FutureWindow()
    {
        var interval = TimeSpan.FromSeconds(30);
        return ProbeWindow.Start(ProbeWindow.Id(DateTimeOffset.UtcNow, interval) + 20, interval).AddSeconds(1);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string field, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Contains(rule, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }
}
