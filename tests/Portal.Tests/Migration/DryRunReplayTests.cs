using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>
/// A recorded window of 200 requests over 60 s replayed at ×10 through the real gateway to a simulator replica the
/// local runtime started: what the simulator saw is what was recorded, the replay left no trace in production's
/// figures, and the candidate's cost is its replica's lifetime priced by hand.
/// </summary>
public sealed class DryRunReplayTests(PortalApp app) : IClassFixture<PortalApp>
{
    /// <summary>How far an arrival may be from its scheduled time, in real (replay) milliseconds, on a shared 2-core machine.</summary>
    private const double ToleranceMs = 250;

    /// <summary>
    /// A machine stalled by other work (a collection, a busy neighbour, thread-pool growth) can hold the replayer, the
    /// gateway or the simulator back for a moment, and every request due in that moment then leaves together once it is
    /// over. Such an arrival may be late (never early) by up to this much; at ×10 one stall of 1.5 s covers some 40 of the
    /// 200 arrivals, so stalls are judged by how late and how many of the whole, not by a count.
    /// </summary>
    private const double StalledToleranceMs = 3_000;

    /// <summary>The share of the arrivals that must be within <see cref="ToleranceMs"/> of their slots, stalls or not.</summary>
    private const double OnTimeShare = 0.5;

    private const double Compression = 10;

    [Fact]
    public async Task Replay_SimulatorSeesTheRecordedArrivals_NothingCountsAsProduction_AndCostIsTheReplicaLifetime()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-replay");
        var random = new Random(26);
        var recorded = Enumerable.Range(0, 200)
            .Select(i => new Recorded(0, i % 3 == 0 ? GatewayOperation.TextCompletion : GatewayOperation.Chat, 100 + i, 5 + random.Next(20), i % 2 == 0))
            .Zip(Enumerable.Range(0, 200).Select(_ => random.NextDouble() * 60).Order(), (r, at) => r with { AtSeconds = at })
            .ToList();
        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-replay", from, recorded);
        var to = from.AddSeconds(60);
        var productionBefore = await ProductionFiguresAsync(client, endpointId);
        Assert.Contains("\"count\":0,", productionBefore); // the stored window has raw samples only, no rollups

        var run = await DryRunRecordings.RunAsync(client, endpointId, from, to, Compression, DryRunRecordings.Candidate("1× H100"));

        var candidate = DryRunRecordings.Candidate(run, 0);
        var arrivals = candidate.GetProperty("arrivals").EnumerateArray()
            .Select(a => (Offset: TimeSpan.Parse(a.GetProperty("offset").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                Prompt: a.GetProperty("promptTokens").GetInt32(), MaxTokens: a.GetProperty("maxTokens").GetInt32()))
            .OrderBy(a => a.Offset).ToList();

        // Count, token totals and each request's own tokens (prompt tokens are unique per request). The gateway streams every
        // generation from the engine, so the engine cannot tell a caller's streaming choice apart.
        Assert.Equal(recorded.Count, arrivals.Count);
        Assert.Equal(recorded.Sum(r => r.PromptTokens), arrivals.Sum(a => a.Prompt));
        Assert.Equal(recorded.Sum(r => r.CompletionTokens), arrivals.Sum(a => a.MaxTokens));
        var byPrompt = recorded.Select((r, i) => (r, i)).ToDictionary(x => x.r.PromptTokens);
        var missed = new Dictionary<int, string>(); // by prompt tokens
        foreach (var arrival in arrivals)
        {
            var (r, _) = byPrompt[arrival.Prompt];
            Assert.Equal(r.CompletionTokens, arrival.MaxTokens);
            var scheduledMs = r.AtSeconds * 1000 / Compression;
            var lateMs = arrival.Offset.TotalMilliseconds - scheduledMs;
            var where = $"The request recorded at {r.AtSeconds:0.000} s arrived {lateMs:0} ms off its {scheduledMs:0} ms slot.";
            Assert.True(lateMs >= -ToleranceMs && lateMs <= StalledToleranceMs, where); // held back by a stall at most, never sent ahead
            if (Math.Abs(lateMs) > ToleranceMs)
            {
                missed[arrival.Prompt] = where;
            }
        }

        Assert.True(missed.Count <= arrivals.Count * (1 - OnTimeShare), string.Join(Environment.NewLine, missed.Values));

        // Order: two requests arrive the other way round only when their slots are within the tolerance of each other
        // (the stalled tolerance when one of them was held back).
        foreach (var (earlier, later) in arrivals.Zip(arrivals.Skip(1)))
        {
            var (a, ia) = byPrompt[earlier.Prompt];
            var (b, ib) = byPrompt[later.Prompt];
            var tolerance = missed.ContainsKey(earlier.Prompt) || missed.ContainsKey(later.Prompt) ? StalledToleranceMs : ToleranceMs;
            Assert.True(ia < ib || (a.AtSeconds - b.AtSeconds) * 1000 / Compression <= tolerance, $"Request {ib} arrived before request {ia}.");
        }

        // Nothing of the replay's 200 requests entered the tenant's raw samples or rollups (what TTFT, signals, SLA, usage
        // and exports read), and the TTFT and signals answers are what they were.
        Assert.Equal(productionBefore, await ProductionFiguresAsync(client, endpointId));

        // Cost per request by hand: the replica's time inside the replay × compression × 1 GPU × the configured price.
        var replaySeconds = (to - from).TotalSeconds / Compression;
        var replicaSeconds = candidate.GetProperty("replicas").EnumerateArray().Sum(r =>
        {
            var started = Math.Max(0, Seconds(r.GetProperty("started")));
            // A replica with no stop ran to the window's end.
            var stopped = r.GetProperty("stopped").ValueKind == JsonValueKind.Null ? replaySeconds : Math.Min(replaySeconds, Seconds(r.GetProperty("stopped")));
            return Math.Max(0, stopped - started);
        });
        var price = app.Services.GetRequiredService<IOptions<GpuPricing>>().Value.Find("h100-80gb", "us-east")!.Value;
        var byHand = (decimal)(replicaSeconds * Compression / 3600) * price / recorded.Count;
        Assert.Equal((double)byHand, candidate.GetProperty("costPerRequestUsd").GetDouble(), 9);
        Assert.Equal(replaySeconds, replicaSeconds, 1); // the baseline ran through the whole replay

        // The migration page as it would read with this candidate serving the traffic: the replayed tokens against its
        // replica's time and the catalog's capacity for the model on one H100, by hand; the four signals and the advice.
        var afterwards = candidate.GetProperty("afterwards");
        var capacity = app.Services.GetRequiredService<ModelCatalog>().FindByIdOrRepository("llama-3.1-8b-instruct")!.CapacityOn("h100-80gb", 1)!;
        var utilisation = recorded.Sum(r => r.CompletionTokens) / (capacity.TokensPerSecond * replicaSeconds * Compression);
        Assert.Equal(utilisation, afterwards.GetProperty("utilisation").GetDouble(), 1e-9);
        Assert.Equal(["TailDivergence", "ColdStarts", "Economics", "Requirements"],
            afterwards.GetProperty("signals").EnumerateArray().Select(s => s.GetProperty("kind").GetString()));
        Assert.StartsWith("Move back to serverless", afterwards.GetProperty("advice").GetString());
        var summary = candidate.GetProperty("summary");
        var ratio = summary.GetProperty("ttftP99Ms").GetDouble() / summary.GetProperty("ttftP50Ms").GetDouble();
        Assert.Equal(ratio, afterwards.GetProperty("signals")[0].GetProperty("value").GetDouble(), ratio * 0.02); // histogram vs exact percentiles

        var notice = run.GetProperty("report").GetProperty("notice").GetString();
        Assert.Contains("simulation", notice);
        Assert.EndsWith(Portal.Core.DryRun.ReplayAccuracy.Statement(Compression), notice); // how close replays at this compression have come
        Assert.True(candidate.GetProperty("summary").GetProperty("pathOverheadMs").GetDouble() >= 0);
    }

    [Fact]
    public async Task DryRunEndpoint_IsNotReachableWithAProductionKey()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var key = await client.PostAsJsonAsync("api/v1/keys", new { name = "dry-run-probe" });
        Assert.Equal(HttpStatusCode.Created, key.StatusCode);
        var plaintext = (await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString();
        var (endpointId, _, _) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-probe");
        await using var scope = app.Services.CreateAsyncScope();
        var tenantId = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Endpoints.Where(e => e.Id == endpointId).Select(e => e.TenantId).SingleAsync();
        using var open = app.Services.GetRequiredService<Portal.Migration.DryRun.DryRunTraffic>().Open(Guid.NewGuid(), tenantId, "meta-llama/Llama-3.1-8B-Instruct", 4);
        using var gateway = app.NewClient();
        gateway.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", plaintext);

        var answer = await gateway.PostAsJsonAsync("v1/chat/completions", new { model = open.Model, messages = new[] { new { role = "user", content = "hi" } } });

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    private static double Seconds(JsonElement span) =>
        TimeSpan.Parse(span.GetString()!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds;

    /// <summary>
    /// The production figures a replay must not move: the tenant's raw samples and rollups (every TTFT, signal, SLA,
    /// usage and export figure is read from these), and the endpoint's TTFT and signals answers.
    /// </summary>
    private async Task<string> ProductionFiguresAsync(HttpClient client, Guid endpointId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenantId = await db.Endpoints.Where(e => e.Id == endpointId).Select(e => e.TenantId).SingleAsync();
        var samples = await db.RequestSamples.CountAsync(s => s.TenantId == tenantId);
        var minutes = await db.MinuteRollups.CountAsync(r => r.TenantId == tenantId);
        var hours = await db.HourRollups.CountAsync(r => r.TenantId == tenantId);
        var ttft = await client.GetFromJsonAsync<JsonElement>("api/v1/observability/ttft?model=dry-run-replay&window=24h");
        var signals = await client.GetFromJsonAsync<JsonElement>("api/v1/signals?model=dry-run-replay");
        return $"samples {samples}, minute rollups {minutes}, hour rollups {hours}, \"count\":{ttft.GetProperty("count").GetInt64()}, "
            + $"percentiles {ttft.GetProperty("percentiles")}, signals {signals.GetProperty("signals")}";
    }
}
