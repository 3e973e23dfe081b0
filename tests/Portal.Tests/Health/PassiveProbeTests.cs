using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Simulator.Configuration;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.Health;

/// <summary>
/// Probes that do not change the patient. A serverless simulator process that scales to zero after 30 s idle
/// (simulated; time scale 0.4, so 12 s real), probed every 10 s by the portal's real probe jobs, still shows cold starts
/// when production requests come more than 30 s apart: its liveness probe lists the models (which loads nothing) and it
/// gets no synthetic chat request unless its tenant opted in. A dedicated target's replicas always get one.
/// </summary>
[Collection(MeasuresLatencyCollection.Name)]
public sealed class PassiveProbeTests : IAsyncLifetime
{
    private const double TimeScale = 0.4;
    private const int IdleTimeoutSeconds = 30;

    // Probes every 10 s, more often than the 12 s real idle timeout: a chat probe would keep the model warm for ever.
    // The reload takes 10 s simulated (4 s real), above the 2 s cold-start threshold by far; a warm answer takes
    // about 0.03 s.
    private readonly PortalApp _app = new PortalApp()
        .With("Health:ProbeInterval", "10")
        .With("Health:TtftProbeInterval", "10")
        .With("Gateway:ColdStartThreshold", "00:00:02");

    private SimulatorProcess _serverless = default!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        _serverless = await SimulatorProcess.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, TimeScale = TimeScale, ScaleToZero = true,
            IdleTimeoutSeconds = IdleTimeoutSeconds, ColdStartSeconds = 10, NoisyNeighborMeanIntervalSeconds = 0, InterTokenLatencyMs = 2, Seed = 21,
        });
        _app.AllowOutbound(_serverless.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _serverless.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task ServerlessTarget_ProbedEveryTenSeconds_StillColdStartsAfterIdleGaps_WhileDedicatedReplicasGetTtftProbes()
    {
        using var client = await HealthTestKit.DeveloperAsync(_app);
        var (_, targetId) = await HealthTestKit.ServerlessEndpointAsync(client, "passive-model", _serverless.BaseUri);
        var dedicatedTarget = await DedicatedTargetAsync(client);
        using var openAi = await InferenceClientAsync(client);
        await WaitRoutableAsync(openAi, "passive-model");

        // Two production requests, each after more than the idle timeout of silence (in simulated time).
        var silence = TimeSpan.FromSeconds(IdleTimeoutSeconds * TimeScale + 2);
        for (var i = 0; i < 2; i++)
        {
            await Task.Delay(silence);
            using var response = await openAi.SendAsync(Chat("passive-model"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await response.Content.ReadAsStringAsync();
        }

        var report = await HealthTestKit.WaitForAsync(async () =>
        {
            var ttft = await client.GetFromJsonAsync<JsonElement>("api/v1/observability/ttft?model=passive-model&window=1h");
            return ttft.GetProperty("count").GetInt64() >= 3 ? (JsonElement?)ttft : null;
        }, 30, "three measured requests") ?? default;
        var coldStarts = report.GetProperty("coldStarts").EnumerateArray().Where(c => c.GetProperty("targetId").GetGuid() == targetId).ToList();
        Assert.True(coldStarts.Count >= 2, $"{coldStarts.Count} cold starts: {report.GetProperty("coldStarts")}");
        Assert.All(coldStarts, c => Assert.True(c.GetProperty("ttftMs").GetDouble() > 2000, c.ToString()));

        // Two cold starts after ~14 s of silence each: the gap is learnt from them, and both followed it.
        var gap = report.GetProperty("idleGaps").EnumerateArray().Single(g => g.GetProperty("targetId").GetGuid() == targetId);
        Assert.Equal("learnt", gap.GetProperty("source").GetString());
        Assert.InRange(gap.GetProperty("seconds").GetDouble(), silence.TotalSeconds - 1, silence.TotalSeconds + 10);
        Assert.All(coldStarts.Take(2), c => Assert.True(c.GetProperty("afterIdleGap").GetBoolean(), c.ToString()));

        // The probe jobs ran throughout: the serverless target was checked for liveness, never sent a chat; the dedicated
        // target's replicas were.
        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var kinds = await db.ProbeRecords.Where(p => p.TargetId == targetId).Select(p => p.Kind).ToListAsync();
        Assert.Contains(ProbeKind.Availability, kinds);
        Assert.DoesNotContain(ProbeKind.Ttft, kinds);
        Assert.True(await db.ProbeRecords.AnyAsync(p => p.TargetId == dedicatedTarget && p.Kind == ProbeKind.Ttft && p.Ok),
            "the dedicated target's replicas get TTFT probes");

        var settings = await client.GetFromJsonAsync<JsonElement>($"api/v1/targets/{targetId}/probes");
        Assert.False(settings.GetProperty("ttftProbes").GetBoolean());
        Assert.Equal("learnt", settings.GetProperty("idleGapSource").GetString());
        Assert.True((await client.GetFromJsonAsync<JsonElement>($"api/v1/targets/{dedicatedTarget}/probes")).GetProperty("ttftProbes").GetBoolean());
    }

    [Fact]
    public async Task ServerlessTarget_OptedIn_GetsTtftProbes_AndTheAnswerShowsTheirMonthlyCost()
    {
        using var developer = await HealthTestKit.DeveloperAsync(_app);
        var (_, targetId) = await HealthTestKit.ServerlessEndpointAsync(developer, "opted-in-model", _serverless.BaseUri);

        var refused = await developer.PutAsJsonAsync($"api/v1/targets/{targetId}/probes", new { ttftProbes = true });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var invalid = await admin.PutAsJsonAsync($"api/v1/targets/{targetId}/probes", new { ttftProbes = true, idleGapSeconds = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("idleGapSeconds", await invalid.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        var set = await admin.PutAsJsonAsync($"api/v1/targets/{targetId}/probes", new { ttftProbes = true, idleGapSeconds = 40 });
        var view = await set.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(set.IsSuccessStatusCode, view.ToString());
        Assert.True(view.GetProperty("ttftProbes").GetBoolean());
        Assert.Equal(40, view.GetProperty("idleGapSeconds").GetDouble());
        Assert.Equal("configured", view.GetProperty("idleGapSource").GetString());
        // Every 10 s for 30 days = 259,200 probes of 16 prompt tokens at $0.20/M and 1 completion token at $0.60/M:
        // 0.82944 + 0.15552 = $0.98.
        var cost = view.GetProperty("ttftProbeCost");
        Assert.Equal(259_200, cost.GetProperty("probesPerMonth").GetInt64());
        Assert.Equal(0.98m, cost.GetProperty("monthlyUsd").GetDecimal());

        var tenant = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        var audit = await admin.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={tenant}&action=target.probes_set&resourceId={targetId}");
        var record = Assert.Single(audit.GetProperty("records").EnumerateArray());
        Assert.Contains("0.98", record.GetProperty("details").ToString());

        await using var db = await _app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var probe = await HealthTestKit.WaitForAsync(
            () => db.ProbeRecords.AsNoTracking().FirstOrDefaultAsync(p => p.TargetId == targetId && p.Kind == ProbeKind.Ttft), 30, "a TTFT probe of the opted-in target");
        Assert.True(probe.Ok, probe.Detail);
        Assert.NotNull(probe.TtftMs);
    }

    private static async Task<Guid> DedicatedTargetAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "always-probed",
            model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" },
            engine = "Vllm", gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
        return (await client.GetFromJsonAsync<JsonElement>("api/v1/endpoints")).EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "always-probed").GetProperty("primary").GetProperty("id").GetGuid();
    }

    private async Task<HttpClient> InferenceClientAsync(HttpClient client)
    {
        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "passive probes" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        var openAi = new HttpClient { BaseAddress = _app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return openAi;
    }

    private static HttpRequestMessage Chat(string model)
    {
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new
        {
            model, stream = true, max_tokens = 4, messages = new[] { new { role = "user", content = "Still warm?" } },
        }));
        body.Headers.ContentType = new("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = body };
    }

    private static Task WaitRoutableAsync(HttpClient openAi, string model) => Routable.WaitAsync(openAi, () => Chat(model), model);
}
