using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Sla;
using Portal.Inference;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Health;

/// <summary>Real simulator replicas probed every second: a crash becomes an incident, an alert and a routing change.</summary>
public sealed class IncidentDetectionTests : IAsyncLifetime
{
    private const int ProbeSeconds = 1;
    private readonly PortalApp _app = new PortalApp().With("Health:ProbeInterval", ProbeSeconds.ToString());

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task AKilledReplica_OpensAnIncidentWithinTwoProbeIntervals_AlertsBySignedWebhook_AndGetsNoTraffic()
    {
        using var client = await HealthTestKit.DeveloperAsync(_app);
        await using var receiver = await WebhookReceiver.StartAsync();
        _app.AllowOutbound(receiver.Url);
        var hook = await client.PostAsJsonAsync("api/v1/webhooks", new { url = receiver.Url.ToString() });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var secret = (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "probed-chat",
            model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" },
            engine = "Vllm", gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 2, maxReplicas = 2, region = "us-east",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var ready = await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 2));
        var endpoint = (await client.GetFromJsonAsync<JsonElement>("api/v1/endpoints")).EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "probed-chat");
        var target = endpoint.GetProperty("primary").GetProperty("id").GetGuid();
        await HealthTestKit.WaitForAsync(async () =>
        {
            var health = await client.GetFromJsonAsync<JsonElement>("api/v1/health");
            return health.EnumerateArray().Any(e => e.GetProperty("endpoint").GetString() == "probed-chat" && e.GetProperty("probeWindows").GetInt32() >= 1)
                ? "probed" : null;
        }, 30, "the endpoint's first probe");

        var victim = ready.GetProperty("replicas")[0];
        var victimId = victim.GetProperty("id").GetString()!;
        DeploymentLifecycleTests.KillListener(new Uri(victim.GetProperty("baseUrl").GetString()!).Port);
        var killedAt = DateTimeOffset.UtcNow;

        var found = await HealthTestKit.WaitForAsync(async () =>
        {
            var open = await client.GetFromJsonAsync<JsonElement>("api/v1/incidents?open=true");
            return open.EnumerateArray().Where(i => i.GetProperty("scope").GetString() == "Replica").Select(i => (JsonElement?)i).FirstOrDefault();
        }, 30, "an incident for the killed replica");
        var incident = found!.Value;

        var openedAt = incident.GetProperty("timeline").EnumerateArray()
            .Single(e => e.GetProperty("kind").GetString() == "incident.opened").GetProperty("at").GetDateTimeOffset();
        // Two probe intervals, plus the job scheduler's own polling (about a second) as slack.
        Assert.True(openedAt - killedAt <= TimeSpan.FromSeconds(2 * ProbeSeconds + 2.5), $"Opened {(openedAt - killedAt).TotalSeconds:0.0} s after the kill.");
        Assert.Contains("probed-chat", incident.GetProperty("affectedEndpoints").EnumerateArray().Select(e => e.GetString()));

        var routable = _app.Services.GetRequiredService<GatewaySnapshot>().GetReplicas(target);
        Assert.NotEmpty(routable);
        Assert.DoesNotContain(routable, r => r.Id == victimId);

        var incidentId = incident.GetProperty("id").GetString();
        var (signature, body, receivedAt) = await HealthTestKit.WaitForAsync(() => Task.FromResult(receiver.Deliveries
            .Where(d => JsonDocument.Parse(d.Body).RootElement is var p && p.GetProperty("type").GetString() == "incident.opened"
                && p.GetProperty("incident").GetProperty("id").GetString() == incidentId)
            .Select(d => ((string, string, DateTimeOffset)?)d).FirstOrDefault()), 30, "the incident.opened webhook delivery") ?? default;
        Assert.True(WebhookSignature.Verify(secret, signature, body, receivedAt, TimeSpan.FromMinutes(5)), signature);
        Assert.False(WebhookSignature.Verify(secret, signature, body.Replace("incident.opened", "incident.resolved"), receivedAt, TimeSpan.FromMinutes(5)));
    }
}
