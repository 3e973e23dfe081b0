using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Health;
using Portal.Inference;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Health;

/// <summary>
/// A serverless target whose models listing answers while every chat request fails 503: the production requests the
/// real gateway sent it fail its probe windows, open an incident that says what was seen, and count as down time. The
/// same target sent only bad request bodies (the upstream's 400s, the caller's fault) stays up.
/// </summary>
/// <remarks>
/// Ticks are driven by hand on a clock the test moves a probe interval at a time; the test holds the availability
/// job's lock so the recurring job skips its own ticks meanwhile.
/// </remarks>
public sealed class PassiveErrorTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly ShiftableClock _clock = new();
    private readonly PortalApp _app;
    private IDisposable? _recurringTicksHeld;
    private IStorageConnection? _jobs;

    public PassiveErrorTests() => _app = new PortalApp().With("Health:ProbeInterval", "60").WithClock(_clock);

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        _jobs = _app.Services.GetRequiredService<JobStorage>().GetConnection();
        _recurringTicksHeld = _jobs.AcquireDistributedLock("health:probe:availability", TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        _recurringTicksHeld?.Dispose();
        _jobs?.Dispose();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task ChatFailing503WhileModelsAnswer_FailsTheWindows_OpensAnIncidentWithThePassiveEvidence_AndResolvesOnceItAnswers()
    {
        var failing = await StartUpstreamAsync(errorRate503: 1);
        var port = failing.BaseUri.Port;
        using var client = await HealthTestKit.DeveloperAsync(_app);
        var (endpointId, targetId) = await HealthTestKit.ServerlessEndpointAsync(client, "flaky-chat", failing.BaseUri);
        using var openAi = await InferenceClientAsync(client);

        await SendAsync(openAi, ValidChat("flaky-chat"), 4, HttpStatusCode.ServiceUnavailable);
        await StoredAsync(targetId, 4);
        var t1 = _clock.GetUtcNow();
        await TickAsync(t1);

        _clock.Advance(Interval);
        await SendAsync(openAi, ValidChat("flaky-chat"), 4, HttpStatusCode.ServiceUnavailable);
        await StoredAsync(targetId, 8);
        await TickAsync(_clock.GetUtcNow());

        var records = await AvailabilityAsync(targetId);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.False(r.Ok));
        Assert.All(records, r => Assert.Equal("4 of 4 production requests failed upstream (503)", r.Detail));
        // The liveness probe itself answered both times: the models listing is up.
        await using (var db = await DbAsync())
        {
            Assert.All(await db.ProbeRecords.Where(p => p.TargetId == targetId && p.Kind == ProbeKind.Readiness).ToListAsync(), r => Assert.True(r.Ok, r.Detail));
        }

        var incident = (await client.GetFromJsonAsync<JsonElement>("api/v1/incidents?open=true")).EnumerateArray()
            .Single(i => i.GetProperty("affectedEndpoints").EnumerateArray().Any(e => e.GetString() == "flaky-chat"));
        Assert.Equal(t1, incident.GetProperty("startedAt").GetDateTimeOffset());
        var timeline = incident.GetProperty("timeline").EnumerateArray().ToDictionary(e => e.GetProperty("kind").GetString()!, e => e.GetProperty("message").GetString());
        Assert.Equal("First failed window: 4 of 4 production requests failed upstream (503)", timeline["probe.failed"]);
        Assert.Equal("Opened after 2 consecutive failed probes: 4 of 4 production requests failed upstream (503)", timeline["incident.opened"]);

        // The provider recovers: its chat answers again, and the next window's probe succeeds.
        await failing.DisposeAsync();
        await using var healthy = await StartUpstreamAsync(errorRate503: 0, port);
        _clock.Advance(Interval);
        await SendAsync(openAi, ValidChat("flaky-chat"), 2, HttpStatusCode.OK);
        await StoredAsync(targetId, 10);
        var t3 = _clock.GetUtcNow();
        await TickAsync(t3);

        var resolved = await client.GetFromJsonAsync<JsonElement>($"api/v1/incidents/{incident.GetProperty("id").GetString()}");
        Assert.Equal(t3, resolved.GetProperty("endedAt").GetDateTimeOffset());
        Assert.True((await AvailabilityAsync(targetId)).OrderBy(r => r.At).Last().Ok);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("api/v1/incidents?open=true")).EnumerateArray());

        // The SLA counts the two failed windows as down time, like any failed probe window: from t1 to t3.
        var sla = (await client.GetFromJsonAsync<JsonElement>($"api/v1/sla/{endpointId}?month={t1:yyyy-MM}")).GetProperty("sla");
        Assert.InRange(sla.GetProperty("downMinutes").GetDecimal(), 2m, 3m);
        Assert.True(sla.GetProperty("uptimePercent").GetDecimal() < 100m);
    }

    [Fact]
    public async Task OnlyClientErrors_TheUpstreamRefusingBadBodies_KeepTheTargetUp()
    {
        // The same failing provider: a valid chat would get 503, but these bodies are refused with 400 before that.
        await using var upstream = await StartUpstreamAsync(errorRate503: 1);
        using var client = await HealthTestKit.DeveloperAsync(_app);
        var (_, targetId) = await HealthTestKit.ServerlessEndpointAsync(client, "picky-chat", upstream.BaseUri);
        using var openAi = await InferenceClientAsync(client);

        await SendAsync(openAi, BadChat("picky-chat"), 5, HttpStatusCode.BadRequest);
        await StoredAsync(targetId, 5);
        await TickAsync(_clock.GetUtcNow());
        _clock.Advance(Interval);
        await SendAsync(openAi, BadChat("picky-chat"), 5, HttpStatusCode.BadRequest);
        await StoredAsync(targetId, 10);
        await TickAsync(_clock.GetUtcNow());

        await using (var db = await DbAsync())
        {
            // Every one of them reached the upstream and was answered by it.
            Assert.Equal(10, await db.RequestSamples.CountAsync(s => s.TargetId == targetId && s.StatusCode == 400 && s.ErrorCode == null && s.Attempts == 1));
        }

        var records = await AvailabilityAsync(targetId);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.True(r.Ok, r.Detail));
        Assert.DoesNotContain((await client.GetFromJsonAsync<JsonElement>("api/v1/incidents")).EnumerateArray(),
            i => i.GetProperty("affectedEndpoints").EnumerateArray().Any(e => e.GetString() == "picky-chat"));
    }

    private async Task<SimulatorServer> StartUpstreamAsync(double errorRate503, int port = 0)
    {
        var upstream = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = port, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, TimeScale = 0.01, ScaleToZero = false,
            NoisyNeighborMeanIntervalSeconds = 0, ErrorRate503 = errorRate503,
        });
        _app.AllowOutbound(upstream.BaseUri);
        return upstream;
    }

    private async Task TickAsync(DateTimeOffset at)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(at, CancellationToken.None);
    }

    private async Task<PortalDbContext> DbAsync() =>
        await _app.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    private async Task<List<ProbeRecord>> AvailabilityAsync(Guid targetId)
    {
        await using var db = await DbAsync();
        return await db.ProbeRecords.AsNoTracking().Where(p => p.TargetId == targetId && p.Kind == ProbeKind.Availability).ToListAsync();
    }

    /// <summary>Waits until the gateway's sample writer has stored <paramref name="count"/> samples of the target.</summary>
    private async Task StoredAsync(Guid targetId, int count) => await HealthTestKit.WaitForAsync(async () =>
    {
        await using var db = await DbAsync();
        return await db.RequestSamples.CountAsync(s => s.TargetId == targetId) >= count ? "stored" : null;
    }, 30, $"{count} stored samples");

    private async Task<HttpClient> InferenceClientAsync(HttpClient client)
    {
        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "passive errors" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        // The gateway learns of the new endpoint and key at its next refresh; this one is now.
        await _app.Services.GetRequiredService<GatewaySnapshot>().RefreshAsync();
        var openAi = new HttpClient { BaseAddress = _app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return openAi;
    }

    private static async Task SendAsync(HttpClient openAi, Func<HttpRequestMessage> request, int times, HttpStatusCode expected)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await openAi.SendAsync(request());
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        }
    }

    private static Func<HttpRequestMessage> ValidChat(string model) =>
        () => Post(new { model, max_tokens = 4, messages = new[] { new { role = "user", content = "Are you there?" } } });

    /// <summary>A body the gateway passes on (it names the model) and the upstream refuses: no messages.</summary>
    private static Func<HttpRequestMessage> BadChat(string model) => () => Post(new { model, max_tokens = 4, messages = Array.Empty<object>() });

    private static HttpRequestMessage Post(object body) =>
        new(HttpMethod.Post, "v1/chat/completions") { Content = JsonContent.Create(body) };
}
