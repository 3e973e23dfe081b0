using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Sla;
using Portal.Health;
using Portal.Notifications;
using Portal.Simulator;
using Portal.Tests.Health;
using Portal.Tests.Support;
using static Portal.Tests.Notifications.NotificationChannels;

namespace Portal.Tests.Notifications;

/// <summary>
/// Tenant notices reach email (the real SMTP sink) and a Slack-compatible chat webhook (a loopback receiver): incidents
/// opened and resolved by real probe ticks against a stopped and restarted upstream, quiet hours holding them for one
/// digest, a spend threshold published as the budget work publishes it, a failing receiver retried and logged.
/// </summary>
public sealed class NotificationTests(NotificationTests.Fixture app) : IClassFixture<NotificationTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public PortalApp Portal { get; } = new PortalApp().With("Health:ProbeInterval", "60").With("Notifications:RetryDelaysSeconds", "1,1");

        public Task InitializeAsync() => ((IAsyncLifetime)Portal).InitializeAsync();

        public Task DisposeAsync() => ((IAsyncLifetime)Portal).DisposeAsync();
    }

    private PortalApp Portal => app.Portal;

    [Fact]
    public async Task AnIncidentsOpeningAndResolution_EachProduceOneEmailAndOneChatMessage_AndTheSignedWebhookKeepsItsBody()
    {
        var (admin, tenant) = await AdminAsync();
        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        await using var chat = await ChatReceiver.StartAsync();
        Portal.AllowOutbound(chat.Url);
        await using var hookReceiver = await WebhookReceiver.StartAsync();
        Portal.AllowOutbound(hookReceiver.Url);
        var hook = await admin.PostAsJsonAsync($"api/v1/webhooks?tenantId={tenant}", new { url = hookReceiver.Url.ToString() });
        var hookBody = await hook.Content.ReadFromJsonAsync<JsonElement>();
        var emailChannel = await CreateChannelAsync(admin, tenant, new
        {
            name = "On-call inbox", type = "email", emailTo = new[] { "oncall@example.com" }, kinds = new[] { "incident.opened", "incident.resolved" },
        });
        var chatChannel = await CreateChannelAsync(admin, tenant, new { name = "#incidents", type = "chat", url = chat.Url.ToString() });
        Assert.DoesNotContain("secret-part", chatChannel.GetProperty("url").GetString());

        var incident = await RunIncidentAsync("notified-chat");

        // Only this incident's mail counts: the recurring probes may open incidents of other tests' endpoints meanwhile.
        var mail = await HealthTestKit.WaitForAsync(() => Task.FromResult(OfIncident() is { Count: >= 2 } both ? both : null), 30, "two emails");
        Assert.Single(mail, m => (m.Subject ?? "").StartsWith("[Portal] Incident: ", StringComparison.Ordinal));
        Assert.Single(mail, m => (m.Subject ?? "").StartsWith("[Portal] Resolved: ", StringComparison.Ordinal));
        await HealthTestKit.WaitForAsync(() => Task.FromResult(ChatOfIncident(chat) is { Count: >= 2 } ? (bool?)true : null), 30, "two chat messages");
        var texts = ChatOfIncident(chat);
        Assert.Single(texts, t => t.StartsWith("Incident: ", StringComparison.Ordinal));
        Assert.Single(texts, t => t.StartsWith("Resolved: ", StringComparison.Ordinal));

        // The signed webhook still carries the incident object receivers parse, and is signed over the whole body.
        var delivery = await HealthTestKit.WaitForAsync(() => Task.FromResult(hookReceiver.Deliveries
            .Select(d => ((string, string, DateTimeOffset)?)d)
            .FirstOrDefault(d => d!.Value.Item2.Contains("\"incident.opened\"", StringComparison.Ordinal)
                                 && d.Value.Item2.Contains(incident.ToString(), StringComparison.Ordinal))), 30, "the signed webhook") ?? default;
        var body = JsonDocument.Parse(delivery.Item2).RootElement;
        Assert.Equal(incident.ToString(), body.GetProperty("incident").GetProperty("id").GetString());
        Assert.Equal(["notified-chat"], body.GetProperty("incident").GetProperty("affectedEndpoints").EnumerateArray().Select(e => e.GetString()));
        Assert.True(WebhookSignature.Verify(hookBody.GetProperty("secret").GetString()!, delivery.Item1, delivery.Item2, delivery.Item3, TimeSpan.FromMinutes(5)));

        // Published again (a retried job, a second instance): each channel already has it, nothing more is sent.
        // A message reaches the mail server a moment before its delivery is recorded as sent.
        bool BothSent(List<JsonElement> deliveries) => deliveries.Count(d => d.GetProperty("channelId").GetGuid() == emailChannel.GetProperty("id").GetGuid()
                                       && d.GetProperty("key").GetString()!.EndsWith(incident.ToString(), StringComparison.Ordinal)
                                       && d.GetProperty("status").GetString() == "Sent") == 2;
        var log = await HealthTestKit.WaitForAsync(async () => await DeliveriesAsync(admin, tenant) is var all && BothSent(all) ? all : null, 30, "both emails recorded as sent");
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var notice = new TenantNotice(Guid.Parse(tenant), TenantNoticeKind.IncidentOpened, $"incident.opened:{incident}", "again", "again", DateTimeOffset.UtcNow);
            await scope.ServiceProvider.GetRequiredService<NotificationRouter>()
                .RouteAsync(JsonSerializer.Serialize(RoutedNotice.From(notice), JsonSerializerOptions.Web), CancellationToken.None);
        }

        Assert.Equal(log.Count, (await DeliveriesAsync(admin, tenant)).Count);
        Assert.Equal(2, OfIncident().Count);

        await DeleteChannelsAsync(admin, tenant, emailChannel, chatChannel);
        await admin.DeleteAsync($"api/v1/webhooks/{hookBody.GetProperty("id").GetString()}?tenantId={tenant}");
    }

    [Fact]
    public async Task QuietHours_HoldTheIncidentsNotices_AndOneDigestPerChannelArrivesOnceWhenTheyEnd()
    {
        var (admin, tenant) = await AdminAsync();
        var now = DateTimeOffset.UtcNow;
        await SetSettingsAsync(admin, tenant, new
        {
            timeZone = "UTC", quietStart = now.AddHours(-1).ToString("HH:mm"), quietEnd = now.AddHours(2).ToString("HH:mm"),
            digestOnly = false, digestHour = 8, incidentsAlwaysSend = false,
        });
        await using var chat = await ChatReceiver.StartAsync();
        Portal.AllowOutbound(chat.Url);
        var emailChannel = await CreateChannelAsync(admin, tenant, new { name = "Night inbox", type = "email", emailTo = new[] { "night@example.com" } });
        var chatChannel = await CreateChannelAsync(admin, tenant, new { name = "#night", type = "chat", url = chat.Url.ToString() });

        await RunIncidentAsync("quiet-chat");

        var held = await HealthTestKit.WaitForAsync(async () =>
        {
            var rows = (await DeliveriesAsync(admin, tenant)).Where(d => d.GetProperty("channelId").GetGuid() == chatChannel.GetProperty("id").GetGuid()).ToList();
            return rows.Count == 2 ? rows : null;
        }, 30, "both notices routed to the chat channel");
        Assert.All(held, d => Assert.Equal("Held", d.GetProperty("status").GetString()));
        var releaseAt = held[0].GetProperty("releaseAt").GetDateTimeOffset();
        Assert.True(releaseAt > now && releaseAt <= now.AddHours(2));
        Assert.Empty(Portal.Mail.MessagesTo("night@example.com"));
        Assert.Equal(0, chat.Requests);

        // The minute the quiet hours end, the digest job runs (here by hand, at that time) — and again a minute later.
        await DigestAtAsync(releaseAt);
        await DigestAtAsync(releaseAt.AddMinutes(1));

        var digest = Assert.Single(Portal.Mail.MessagesTo("night@example.com"));
        Assert.Equal("[Portal] Digest: 2 notices", digest.Subject);
        Assert.Contains("Incident: ", digest.TextBody);
        Assert.Contains("Resolved: ", digest.TextBody);
        var message = Assert.Single(chat.Messages);
        Assert.Contains("digest: 2 notices", JsonDocument.Parse(message).RootElement.GetProperty("text").GetString());
        var sent = (await DeliveriesAsync(admin, tenant)).Where(d => d.GetProperty("channelId").GetGuid() == emailChannel.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, d => Assert.True(d.GetProperty("status").GetString() == "Sent" && d.GetProperty("inDigest").GetBoolean()));

        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        await DeleteChannelsAsync(admin, tenant, emailChannel, chatChannel);
    }

    [Fact]
    public async Task ASpendThresholdNotice_PublishedThroughTenantNotices_ReachesEmailAndChat()
    {
        var (admin, tenant) = await AdminAsync();
        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        await using var chat = await ChatReceiver.StartAsync();
        Portal.AllowOutbound(chat.Url);
        var emailChannel = await CreateChannelAsync(admin, tenant, new
        {
            name = "Finance", type = "email", emailTo = new[] { "finance@example.com" }, kinds = new[] { "spend.threshold" },
        });
        var chatChannel = await CreateChannelAsync(admin, tenant, new { name = "#spend", type = "chat", url = chat.Url.ToString(), kinds = new[] { "spend.threshold" } });

        var notices = Portal.Services.GetRequiredService<TenantNotices>();
        var notice = new TenantNotice(Guid.Parse(tenant), TenantNoticeKind.BudgetThreshold, $"budget:test:80:{Guid.NewGuid():n}",
            "Spend reached 80 % of the monthly budget", "USD 800.00 of USD 1,000.00 spent this month.", DateTimeOffset.UtcNow) { Link = "/usage" };
        await notices.PublishAsync(notice);
        await notices.PublishAsync(notice);

        var mail = await Portal.Mail.WaitForMessageAsync("finance@example.com");
        Assert.Equal("[Portal] Spend reached 80 % of the monthly budget", mail.Subject);
        Assert.Contains("/usage", mail.TextBody);
        await HealthTestKit.WaitForAsync(() => Task.FromResult(chat.Messages.IsEmpty ? null : (bool?)true), 30, "the chat message");
        Assert.Contains("USD 800.00", JsonDocument.Parse(Assert.Single(chat.Messages)).RootElement.GetProperty("text").GetString());
        // Published twice, routed once to each of the two channels.
        var ours = new[] { emailChannel, chatChannel }.Select(c => c.GetProperty("id").GetGuid()).ToList();
        var rows = (await DeliveriesAsync(admin, tenant)).Where(d => d.GetProperty("key").GetString() == notice.Key).ToList();
        Assert.Equal(ours.Order(), rows.Select(r => r.GetProperty("channelId").GetGuid()).Where(ours.Contains).Order());
        Assert.All(rows, d => Assert.Equal("spend.threshold", d.GetProperty("kind").GetString()));

        await DeleteChannelsAsync(admin, tenant, emailChannel, chatChannel);
    }

    [Fact]
    public async Task AFailingChatReceiver_ShowsInTheLog_IsRetried_AndEndsFailedWhenItNeverRecovers()
    {
        var (admin, tenant) = await AdminAsync();
        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        await using var flaky = await ChatReceiver.StartAsync(failures: 2);
        await using var broken = await ChatReceiver.StartAsync(failures: int.MaxValue);
        Portal.AllowOutbound(flaky.Url);
        Portal.AllowOutbound(broken.Url);
        var kinds = new[] { "deployment.failed" };
        var flakyChannel = await CreateChannelAsync(admin, tenant, new { name = "#flaky", type = "chat", url = flaky.Url.ToString(), kinds });
        var brokenChannel = await CreateChannelAsync(admin, tenant, new { name = "#broken", type = "chat", url = broken.Url.ToString(), kinds });

        var key = $"deployment.failed:{Guid.NewGuid():n}";
        await Portal.Services.GetRequiredService<TenantNotices>().PublishAsync(new TenantNotice(Guid.Parse(tenant), TenantNoticeKind.DeploymentFailed, key,
            "Deployment llama-70b failed", "Replica 1 failed to load its weights.", DateTimeOffset.UtcNow));

        // Three attempts in all (the first and two retries a second apart): the flaky receiver answers the third.
        var settled = await HealthTestKit.WaitForAsync(async () =>
        {
            var rows = (await DeliveriesAsync(admin, tenant)).Where(d => d.GetProperty("key").GetString() == key).ToList();
            return rows.Count == 2 && rows.All(r => r.GetProperty("status").GetString() is "Sent" or "Failed") ? rows : null;
        }, 60, "both deliveries settled");
        var sent = settled.Single(d => d.GetProperty("channelId").GetGuid() == flakyChannel.GetProperty("id").GetGuid());
        Assert.Equal("Sent", sent.GetProperty("status").GetString());
        Assert.Equal(3, sent.GetProperty("attempts").GetInt32());
        Assert.Single(flaky.Messages);
        Assert.Equal(3, flaky.Requests);
        var failed = settled.Single(d => d.GetProperty("channelId").GetGuid() == brokenChannel.GetProperty("id").GetGuid());
        Assert.Equal("Failed", failed.GetProperty("status").GetString());
        Assert.Equal(3, failed.GetProperty("attempts").GetInt32());
        Assert.Contains("answered 500", failed.GetProperty("lastError").GetString());
        Assert.Equal("#broken", failed.GetProperty("channelName").GetString());

        // The test button of a broken channel says so at once, and the attempt enters the log.
        var test = await admin.PostAsync($"api/v1/notifications/channels/{brokenChannel.GetProperty("id").GetString()}/test?tenantId={tenant}", null);
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var tested = await test.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Failed", tested.GetProperty("status").GetString());
        Assert.Contains("answered 500", tested.GetProperty("lastError").GetString());

        await DeleteChannelsAsync(admin, tenant, flakyChannel, brokenChannel);
    }

    [Fact]
    public async Task AMigrationSignalThatStartsAndStopsFiring_IsToldOnceEachWay()
    {
        var (admin, tenant) = await AdminAsync();
        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        var channel = await CreateChannelAsync(admin, tenant, new
        {
            name = "Migration watch", type = "email", emailTo = new[] { "signals@example.com" }, kinds = new[] { "signal.changed" },
        });
        using var dev = await HealthTestKit.DeveloperAsync(Portal);
        var (endpointId, _) = await HealthTestKit.ServerlessEndpointAsync(dev, "signal-chat", new Uri("http://127.0.0.1:9/"));
        await EvaluateSignalsAsync();

        // Stating a hard requirement makes signal 4 fire; evaluating again while it still fires tells nothing more.
        var set = await dev.PutAsJsonAsync($"api/v1/endpoints/{endpointId}/requirements", new { customWeights = true });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        await EvaluateSignalsAsync();
        await EvaluateSignalsAsync();
        var fires = await Portal.Mail.WaitForMessageAsync("signals@example.com");
        Assert.Equal("[Portal] signal-chat: Hard requirements now fires", fires.Subject);
        Assert.Contains("custom or fine-tuned weights", fires.TextBody);

        Assert.Equal(HttpStatusCode.OK, (await dev.PutAsJsonAsync($"api/v1/endpoints/{endpointId}/requirements", new { customWeights = false })).StatusCode);
        await EvaluateSignalsAsync();
        var stops = await Portal.Mail.WaitForMessageAsync("signals@example.com", 2);
        Assert.Equal("[Portal] signal-chat: Hard requirements no longer fires", stops.Subject);
        var told = (await DeliveriesAsync(admin, tenant))
            .Where(d => d.GetProperty("key").GetString()!.StartsWith($"signal.changed:{Guid.Parse(endpointId):n}:requirements:", StringComparison.Ordinal)
                        && d.GetProperty("channelId").GetGuid() == channel.GetProperty("id").GetGuid())
            .ToList();
        Assert.Equal(2, told.Count);

        await DeleteChannelsAsync(admin, tenant, channel);
    }

    [Fact]
    public async Task AKeyExpiringWithinAWeek_IsAnnouncedOnce_ALaterOneIsNot()
    {
        var (admin, tenant) = await AdminAsync();
        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        var channel = await CreateChannelAsync(admin, tenant, new
        {
            name = "Key owners", type = "email", emailTo = new[] { "keys@example.com" }, kinds = new[] { "key.expiring" },
        });
        using var dev = await HealthTestKit.DeveloperAsync(Portal);
        var soon = await (await dev.PostAsJsonAsync("api/v1/keys", new { name = "expiring soon", expiresInDays = 3 })).Content.ReadFromJsonAsync<JsonElement>();
        var later = await (await dev.PostAsJsonAsync("api/v1/keys", new { name = "expiring later", expiresInDays = 30 })).Content.ReadFromJsonAsync<JsonElement>();

        await ExpiringKeysAsync();
        await ExpiringKeysAsync();

        var mail = await Portal.Mail.WaitForMessageAsync("keys@example.com");
        Assert.Equal("[Portal] API key \"expiring soon\" expires in 3 days", mail.Subject);
        var rows = (await DeliveriesAsync(admin, tenant)).Where(d => d.GetProperty("channelId").GetGuid() == channel.GetProperty("id").GetGuid()).ToList();
        Assert.Single(rows, d => d.GetProperty("key").GetString()!.Contains(Id(soon), StringComparison.Ordinal));
        Assert.DoesNotContain(rows, d => d.GetProperty("key").GetString()!.Contains(Id(later), StringComparison.Ordinal));

        await DeleteChannelsAsync(admin, tenant, channel);
    }

    [Fact]
    public async Task ADeploymentThatBecomesReady_IsToldByEmail()
    {
        var (admin, tenant) = await AdminAsync();
        await SetSettingsAsync(admin, tenant, new { timeZone = "UTC", digestOnly = false, digestHour = 8, incidentsAlwaysSend = false });
        var channel = await CreateChannelAsync(admin, tenant, new
        {
            name = "Deploys", type = "email", emailTo = new[] { "deploys@example.com" }, kinds = new[] { "deployment.ready", "deployment.failed" },
        });
        using var dev = await HealthTestKit.DeveloperAsync(Portal);

        var created = await dev.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "notified-deploy", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm", gpuType = "h100-80gb",
            gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var mail = await Portal.Mail.WaitForMessageAsync("deploys@example.com");
        Assert.Equal("[Portal] Deployment notified-deploy is Ready", mail.Subject);
        Assert.Contains($"/endpoints/{id}", mail.TextBody);
        var detail = await dev.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}");
        Assert.Equal("Ready", detail.GetProperty("deployment").GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.OK, (await dev.DeleteAsync($"api/v1/deployments/{id}")).StatusCode);
        await DeleteChannelsAsync(admin, tenant, channel);
    }

    /// <summary>
    /// A serverless endpoint whose upstream stops: two probe ticks by hand (a little ahead of the real time) open an
    /// incident, the upstream back on its port and a third tick resolve it. Returns the incident's id.
    /// </summary>
    private async Task<Guid> RunIncidentAsync(string endpointName)
    {
        var upstream = await HealthTestKit.StartUpstreamAsync();
        var port = upstream.BaseUri.Port;
        Portal.AllowOutbound(upstream.BaseUri);
        using var dev = await HealthTestKit.DeveloperAsync(Portal);
        var (_, target) = await HealthTestKit.ServerlessEndpointAsync(dev, endpointName, upstream.BaseUri);
        var interval = TimeSpan.FromMinutes(1);
        var t0 = ProbeWindow.Start(ProbeWindow.Id(DateTimeOffset.UtcNow, interval) + 10, interval).AddSeconds(5);
        await upstream.DisposeAsync();

        await TickAsync(t0);
        await TickAsync(t0 + interval);
        var incident = await IncidentOfAsync(target);
        await using var back = await HealthTestKit.StartUpstreamAsync(port);
        await TickAsync(t0 + 2 * interval);
        return incident;
    }

    private async Task<Guid> IncidentOfAsync(Guid target)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Portal.Data.PortalDbContext>();
        return Assert.Single(db.Incidents.Where(i => i.TargetId == target)).Id;
    }

    private async Task TickAsync(DateTimeOffset at)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthProbeJob>().ProbeAvailabilityAtAsync(at, CancellationToken.None);
    }

    private List<MimeKit.MimeMessage> OfIncident() =>
        Portal.Mail.MessagesTo("oncall@example.com").Where(m => (m.Subject ?? "").Contains("notified-chat", StringComparison.Ordinal)
                                                                || (m.TextBody ?? "").Contains("notified-chat", StringComparison.Ordinal)).ToList();

    private static List<string> ChatOfIncident(ChatReceiver chat) =>
        chat.Messages.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("text").GetString()!).Where(t => t.Contains("notified-chat", StringComparison.Ordinal)).ToList();

    private static string Id(JsonElement key) => Guid.Parse(key.GetProperty("key").GetProperty("id").GetString()!).ToString("n");

    private async Task ExpiringKeysAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KeyExpiryJob>().RunAsync(CancellationToken.None);
    }

    private async Task EvaluateSignalsAsync()
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<MigrationSignalJob>().EvaluateAsync(CancellationToken.None);
    }

    private async Task DigestAtAsync(DateTimeOffset at)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NotificationDigestJob>().RunAtAsync(at, CancellationToken.None);
    }

    private Task<(HttpClient Client, string Tenant)> AdminAsync() => NotificationChannels.AdminAsync(Portal);
}
