using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Core.Sla;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Simulator;
using Portal.Tests.Deployments;
using Portal.Tests.Health;
using Portal.Tests.Notifications;
using Portal.Tests.Support;
using Portal.Usage;

namespace Portal.Tests.Usage;

/// <summary>
/// The scenario: a dedicated deployment created during the day (real simulator replicas), a burst replica that
/// ran for ten minutes, and a serverless endpoint (a real simulator upstream), with real requests through the gateway.
/// Every figure of the usage report is checked against the test's own sums over the stored samples and replica rows,
/// the CSV against the JSON, and a budget's alert, raised by the usage job, against the SMTP sink and loopback chat and webhook receivers.
/// </summary>
public sealed class UsageScenarioTests : IAsyncLifetime
{
    private const string Dedicated = "usage-chat";
    private const string Serverless = "usage-serverless";
    private const decimal InputPrice = 0.2m;
    private const decimal OutputPrice = 0.6m;

    private readonly PortalApp _app = new();
    private SimulatorServer _upstream = default!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        _upstream = await HealthTestKit.StartUpstreamAsync();
        _app.AllowOutbound(_upstream.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _app.StopReplicasAsync();
        await _upstream.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task EveryFigure_EqualsTheSumsOverTheStoredSamplesAndReplicaLifetimes_AndTheJobsBudgetAlertReachesMailChatAndWebhookOnce()
    {
        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        using var client = await HealthTestKit.DeveloperAsync(_app);
        var tenantId = (await client.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray().First().GetProperty("id").GetGuid();
        await using var receiver = await WebhookReceiver.StartAsync();
        _app.AllowOutbound(receiver.Url);
        var hook = await admin.PostAsJsonAsync($"api/v1/webhooks?tenantId={tenantId}", new { url = receiver.Url.ToString() });
        Assert.Equal(HttpStatusCode.Created, hook.StatusCode);
        var secret = (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = Dedicated, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 2, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var deploymentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await DeploymentLifecycleTests.WaitForAsync(client, deploymentId, d => DeploymentLifecycleTests.AllReady(d, 1));
        var response = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name = Serverless,
            target = new { baseUrl = new Uri(_upstream.BaseUri, "v1/").ToString(), upstreamModel = "vendor-llama-8b", apiKey = "vendor-secret",
                region = "us-east", inputPricePerMillion = InputPrice, outputPricePerMillion = OutputPrice },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var keys = new List<string>();
        foreach (var name in new[] { "usage app", "usage batch" })
        {
            keys.Add((await (await client.PostAsJsonAsync("api/v1/keys", new { name })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!);
        }

        var sent = 0;
        sent += await SendAsync(keys[0], Dedicated, 4);
        sent += await SendAsync(keys[1], Dedicated, 2);
        sent += await SendAsync(keys[0], Serverless, 3);
        sent += await SendAsync(keys[1], Serverless, 2);
        sent += await SendAsync(keys[1], "no-such-model", 1, HttpStatusCode.NotFound);

        Assert.True((await client.PostAsync($"api/v1/deployments/{deploymentId}/stop", null)).IsSuccessStatusCode);
        await DeploymentLifecycleTests.WaitForAsync(client, deploymentId,
            d => d.GetProperty("replicas").EnumerateArray().All(r => r.GetProperty("phase").GetString() == "Stopped"));

        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await HealthTestKit.WaitForAsync(async () => await db.RequestSamples.CountAsync(s => s.TenantId == tenantId && s.StatusCode == 200) >= sent - 1 ? "" : null,
            30, "the samples");

        // A burst replica that ran ten minutes and has stopped, as the reconciler leaves one behind.
        var deployment = await db.Deployments.SingleAsync(d => d.Id == Guid.Parse(deploymentId));
        var burstEnd = DateTimeOffset.UtcNow.AddMinutes(-1);
        db.Replicas.Add(new Replica
        {
            DeploymentId = deployment.Id, TenantId = tenantId, Region = "us-east", IsBurst = true, Phase = ReplicaPhase.Stopped, UsesSimulator = true,
            CreatedAt = burstEnd.AddMinutes(-10), StoppedAt = burstEnd, PhaseChangedAt = burstEnd,
        });
        await db.SaveChangesAsync();

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var job = scope.ServiceProvider.GetRequiredService<UsageDayJob>();
        await job.WriteDayAsync(today.AddDays(-1), CancellationToken.None);
        await job.WriteDayAsync(today, CancellationToken.None);
        var written = await db.UsageDays.AsNoTracking().OrderBy(u => u.Id).Select(u => new { u.Tier, u.Requests, u.ServerlessUsd }).ToListAsync();
        await job.WriteDayAsync(today, CancellationToken.None); // a re-run writes the same day again, not beside it
        Assert.Equal(written.Select(u => (u.Tier, u.Requests, u.ServerlessUsd)),
            await db.UsageDays.AsNoTracking().OrderBy(u => u.Id).Select(u => ValueTuple.Create(u.Tier, u.Requests, u.ServerlessUsd)).ToListAsync());

        // The test's own figures, from the stored samples and replica rows.
        var samples = await db.RequestSamples.AsNoTracking().Where(s => s.TenantId == tenantId).ToListAsync();
        var endpoints = await db.Endpoints.AsNoTracking().Include(e => e.PrimaryTarget).Where(e => e.TenantId == tenantId).ToDictionaryAsync(e => e.Name);
        var replicas = await db.Replicas.AsNoTracking().Where(r => r.DeploymentId == deployment.Id).ToListAsync();
        var serverlessTarget = endpoints[Serverless].PrimaryTarget!;
        var dedicatedSamples = samples.Where(s => s.EndpointId == endpoints[Dedicated].Id).ToList();
        var serverlessSamples = samples.Where(s => s.EndpointId == endpoints[Serverless].Id).ToList();
        Assert.True(dedicatedSamples.Count >= 6 && serverlessSamples.Count >= 5);
        Assert.All(serverlessSamples, s => Assert.Equal(TargetKind.Serverless, s.Tier));
        var serverlessUsd = serverlessSamples.Sum(s =>
            ((s.PromptTokens ?? 0) * serverlessTarget.InputPricePerMillion + (s.CompletionTokens ?? 0) * serverlessTarget.OutputPricePerMillion) / 1_000_000m);
        Assert.True(serverlessUsd > 0);
        decimal Hours(IEnumerable<Replica> rs) => (decimal)rs.Sum(r => (r.StoppedAt!.Value - r.CreatedAt).Ticks) / TimeSpan.TicksPerHour;
        var baselineHours = Hours(replicas.Where(r => !r.IsBurst)) * deployment.GpusPerReplica;
        var burstHours = Hours(replicas.Where(r => r.IsBurst)) * deployment.GpusPerReplica;
        Assert.Equal(decimal.Round(10m / 60m, 12), decimal.Round(burstHours, 12));
        Assert.InRange(baselineHours, 0.00001m, 1m); // paid from its creation during the day, not from midnight
        var dedicatedUsd = (baselineHours + burstHours) * deployment.PricePerGpuHour;

        var byEndpoint = await client.GetFromJsonAsync<JsonElement>("api/v1/usage?groupBy=endpoint");
        var dedicatedLine = Line(byEndpoint, endpoints[Dedicated].Id.ToString());
        Assert.Equal(Dedicated, dedicatedLine.GetProperty("label").GetString());
        Assert.Equal(dedicatedSamples.Count, dedicatedLine.GetProperty("requests").GetInt64());
        Assert.Equal(dedicatedSamples.Count(s => s.StatusCode >= 400), dedicatedLine.GetProperty("errors").GetInt64());
        Assert.Equal(dedicatedSamples.Sum(s => (long)(s.PromptTokens ?? 0)), dedicatedLine.GetProperty("promptTokens").GetInt64());
        Assert.Equal(dedicatedSamples.Sum(s => (long)(s.CompletionTokens ?? 0)), dedicatedLine.GetProperty("completionTokens").GetInt64());
        AssertMoney(baselineHours, dedicatedLine.GetProperty("baselineGpuHours"));
        AssertMoney(burstHours, dedicatedLine.GetProperty("burstGpuHours"));
        AssertMoney(dedicatedUsd, dedicatedLine.GetProperty("dedicatedUsd"));
        AssertMoney(dedicatedUsd / dedicatedSamples.Count, dedicatedLine.GetProperty("usdPerRequest"));
        var dedicatedTokens = dedicatedSamples.Sum(s => (long)(s.PromptTokens ?? 0) + (s.CompletionTokens ?? 0));
        AssertMoney(dedicatedUsd * 1000m / dedicatedTokens, dedicatedLine.GetProperty("usdPer1kTokens"));

        var serverlessLine = Line(byEndpoint, endpoints[Serverless].Id.ToString());
        Assert.Equal(serverlessSamples.Count, serverlessLine.GetProperty("requests").GetInt64());
        AssertMoney(serverlessUsd, serverlessLine.GetProperty("serverlessUsd"));
        AssertMoney(0m, serverlessLine.GetProperty("baselineGpuHours"));
        var serverlessTokens = serverlessSamples.Sum(s => (long)(s.PromptTokens ?? 0) + (s.CompletionTokens ?? 0));
        AssertMoney(serverlessUsd * 1000m / serverlessTokens, serverlessLine.GetProperty("usdPer1kTokens"));

        // The refused request reached no endpoint: it is no one's usage.
        var total = byEndpoint.GetProperty("total");
        Assert.Equal(samples.Count(s => s.EndpointId != null), total.GetProperty("requests").GetInt64());
        Assert.Contains(samples, s => s.EndpointId == null);
        AssertMoney(dedicatedUsd + serverlessUsd, total.GetProperty("totalUsd"));
        Assert.Equal(2, byEndpoint.GetProperty("lines").GetArrayLength());

        // By key: each key's requests; the replicas' time is its own line, since no key pays for it alone.
        var byKey = await client.GetFromJsonAsync<JsonElement>("api/v1/usage?groupBy=key");
        var keyIds = await db.ApiKeys.AsNoTracking().Where(k => k.TenantId == tenantId).ToDictionaryAsync(k => k.Name, k => k.Id);
        foreach (var keyId in keyIds.Values)
        {
            Assert.Equal(samples.Count(s => s.KeyId == keyId && s.EndpointId != null), Line(byKey, keyId.ToString()).GetProperty("requests").GetInt64());
        }

        AssertMoney(serverlessSamples.Where(s => s.KeyId == keyIds["usage batch"]).Sum(s =>
                ((s.PromptTokens ?? 0) * InputPrice + (s.CompletionTokens ?? 0) * OutputPrice) / 1_000_000m),
            Line(byKey, keyIds["usage batch"].ToString()).GetProperty("serverlessUsd"));
        AssertMoney(dedicatedUsd, Line(byKey, "").GetProperty("dedicatedUsd"));

        var byTier = await client.GetFromJsonAsync<JsonElement>("api/v1/usage?groupBy=tier");
        AssertMoney(dedicatedUsd, Line(byTier, "dedicated").GetProperty("totalUsd"));
        AssertMoney(serverlessUsd, Line(byTier, "serverless").GetProperty("totalUsd"));
        var byDay = await client.GetFromJsonAsync<JsonElement>("api/v1/usage");
        Assert.Equal(decimal.Round(dedicatedUsd + serverlessUsd, 12),
            decimal.Round(byDay.GetProperty("dailySpend").EnumerateArray().Sum(d => d.GetProperty("usd").GetDecimal()), 12));

        // The CSV says what the JSON says, line for line.
        var csv = (await client.GetStringAsync("api/v1/usage.csv?groupBy=endpoint")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var columns = csv[0].Split(',');
        Assert.Equal(byEndpoint.GetProperty("lines").GetArrayLength(), csv.Length - 1);
        foreach (var row in csv.Skip(1).Select(r => r.Split(',')))
        {
            var line = Line(byEndpoint, row[0]);
            Assert.Equal(line.GetProperty("label").GetString(), row[1]);
            Assert.Equal(line.GetProperty("requests").GetInt64(), long.Parse(row[Array.IndexOf(columns, "requests")], CultureInfo.InvariantCulture));
            Assert.Equal(line.GetProperty("totalUsd").GetDecimal(), decimal.Parse(row[Array.IndexOf(columns, "totalUsd")], CultureInfo.InvariantCulture));
            Assert.Equal(line.GetProperty("serverlessUsd").GetDecimal(), decimal.Parse(row[Array.IndexOf(columns, "serverlessUsd")], CultureInfo.InvariantCulture));
        }

        // A budget at which this month's spend is 60 %: the usage job's run tells the 50 % threshold once — by email to the
        // real SMTP sink, to a chat webhook and to the signed webhook — and the 80 % one not at all, however often it runs.
        await using var chat = await ChatReceiver.StartAsync();
        _app.AllowOutbound(chat.Url);
        var settings = await admin.PutAsJsonAsync($"api/v1/notifications/settings?tenantId={tenantId}",
            new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        Assert.True(settings.IsSuccessStatusCode, await settings.Content.ReadAsStringAsync());
        var kinds = new[] { "spend.threshold" };
        var emailChannel = await CreateChannelAsync(admin, tenantId, new { name = "Finance", type = "email", emailTo = new[] { "finance@example.com" }, kinds });
        var chatChannel = await CreateChannelAsync(admin, tenantId, new { name = "#spend", type = "chat", url = chat.Url.ToString(), kinds });
        var spend = total.GetProperty("totalUsd").GetDecimal();
        var budget = await admin.PutAsJsonAsync($"api/v1/budgets?tenantId={tenantId}", new { monthlyUsd = decimal.Round(spend / 0.6m, 4) });
        Assert.Equal(HttpStatusCode.OK, budget.StatusCode);
        await job.RunAtAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await job.RunAtAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        var stored = await db.BudgetAlerts.AsNoTracking().Where(a => a.TenantId == tenantId).ToListAsync();
        Assert.Equal(50, Assert.Single(stored).Percent);
        // The signed webhook hears every notice of the tenant (the deployment's too); only the spend threshold counts here.
        List<(string Signature, string Body, DateTimeOffset ReceivedAt)> SpendDeliveries() =>
            receiver.Deliveries.Where(d => JsonDocument.Parse(d.Body).RootElement.GetProperty("type").GetString() == "spend.threshold").ToList();
        var (signature, delivery, receivedAt) = await HealthTestKit.WaitForAsync(
            () => Task.FromResult(SpendDeliveries() is [var first, ..] ? ((string, string, DateTimeOffset)?)first : null), 30, "the budget alert") ?? default;
        var notice = JsonDocument.Parse(delivery).RootElement;
        Assert.Equal(50, notice.GetProperty("notice").GetProperty("data").GetProperty("percent").GetInt32());
        Assert.Equal("/usage", notice.GetProperty("notice").GetProperty("link").GetString());
        Assert.True(WebhookSignature.Verify(secret, signature, delivery, receivedAt, TimeSpan.FromMinutes(5)));
        var mail = await _app.Mail.WaitForMessageAsync("finance@example.com");
        Assert.Equal("[Portal] Spend of the tenant reached 50 % of its budget", mail.Subject);
        Assert.Contains("/usage", mail.TextBody);
        await HealthTestKit.WaitForAsync(() => Task.FromResult(chat.Messages.IsEmpty ? null : (bool?)true), 30, "the chat message");
        Assert.Contains("50 %", JsonDocument.Parse(chat.Messages.First()).RootElement.GetProperty("text").GetString());

        await job.RunAtAsync(DateTimeOffset.UtcNow, CancellationToken.None);
        await Task.Delay(1000); // a second delivery would have been enqueued by now
        Assert.Single(SpendDeliveries());
        Assert.Single(_app.Mail.MessagesTo("finance@example.com"));
        Assert.Single(chat.Messages);
        // One delivery row per channel (the signed webhook has its own row beside them).
        var ours = new[] { emailChannel, chatChannel }.Select(c => c.GetProperty("id").GetGuid()).ToList();
        var log = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/notifications/deliveries?tenantId={tenantId}&limit=500")).EnumerateArray()
            .Where(d => d.GetProperty("kind").GetString() == "spend.threshold" && ours.Contains(d.GetProperty("channelId").GetGuid())).ToList();
        Assert.Equal(ours.Order(), log.Select(d => d.GetProperty("channelId").GetGuid()).Order());
        Assert.All(log, d => Assert.Equal("Sent", d.GetProperty("status").GetString()));
        Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.TenantId == tenantId && r.Action == "budget.threshold_reached"));
        Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.TenantId == tenantId && r.Action == "budget.set"));

        var listed = (await client.GetFromJsonAsync<JsonElement>("api/v1/budgets")).EnumerateArray().Single();
        Assert.Equal(50, listed.GetProperty("alerts").EnumerateArray().Single().GetProperty("percent").GetInt32());
        AssertMoney(spend, listed.GetProperty("spendUsd"));
    }

    private async Task<int> SendAsync(string key, string model, int count, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var openAi = new HttpClient { BaseAddress = _app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var answered = 0;
        for (var attempt = 0; answered < count && attempt < 100; attempt++)
        {
            using var response = await openAi.PostAsJsonAsync("v1/chat/completions",
                new { model, max_tokens = 5, messages = new[] { new { role = "user", content = "How much does this cost?" } } });
            await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected)
            {
                answered++;
            }
            else
            {
                await Task.Delay(200); // the routing snapshot has not picked the endpoint up yet
            }
        }

        Assert.Equal(count, answered);
        return count;
    }

    private static async Task<JsonElement> CreateChannelAsync(HttpClient admin, Guid tenantId, object channel)
    {
        var response = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={tenantId}", channel);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }

    private static JsonElement Line(JsonElement report, string group) =>
        report.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("group").GetString() == group);

    private static void AssertMoney(decimal expected, JsonElement actual) =>
        Assert.Equal(decimal.Round(expected, 12), decimal.Round(actual.GetDecimal(), 12));
}
