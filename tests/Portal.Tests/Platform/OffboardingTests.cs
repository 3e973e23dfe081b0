using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Api;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Runtimes;
using Portal.Tests.Support;

namespace Portal.Tests.Platform;

/// <summary>
/// Offboarding as an operator does it: suspend, export (audit trail, configuration, request samples' measurements; no
/// secret and no request content), delete. TenantSuspensionTests covers what suspension refuses; this follows the export
/// and what deletion leaves behind: no replica process or port, a refused key, no weight credentials, and the tenant's
/// audit records still there and verifiable.
/// </summary>
public sealed class OffboardingTests(PortalApp app) : IClassFixture<PortalApp>
{
    private const string Prompt = "offboarding canary 7f3a9c: tell me about the weather";
    private const string HfToken = "hf_offboardingSecretToken0123456789";

    private static HttpRequestMessage Chat(string key, string model) => new(HttpMethod.Post, "v1/chat/completions")
    {
        Content = JsonContent.Create(new { model, messages = new[] { new { role = "user", content = Prompt } }, max_tokens = 16 }),
        Headers = { Authorization = new AuthenticationHeaderValue("Bearer", key) },
    };

    private async Task<Guid> AcmeAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetGuid();

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(300);
            value = await read();
        }

        Assert.True(done(value), $"{what}: {value}");
        return value;
    }

    private static async Task<Dictionary<string, string>> ExportAsync(HttpClient operatorClient, Guid tenantId)
    {
        using var response = await operatorClient.GetAsync($"api/v1/platform/tenants/{tenantId}/export");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".zip", response.Content.Headers.ContentDisposition?.FileName);
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    /// <summary>What an auditor does offline: the audit part and the downloaded public key, nothing else.</summary>
    private static AuditExportVerification VerifyOffline(string auditJsonl, string publicKeyPem, out IReadOnlyList<string> actions)
    {
        using var keys = AuditKeyDocument.Read(publicKeyPem);
        var export = AuditExportReader.Open(new StringReader(auditJsonl));
        var records = export.ReadRecords().ToList();
        actions = records.Select(r => r.Action).ToList();
        Assert.Equal(records.Count, export.Manifest?.RecordCount);
        Assert.Equal(keys.Describe(), export.Header.PublicKeyId);
        return AuditExportVerifier.Verify(new StringReader(auditJsonl), keys);
    }

    [Fact]
    public async Task SuspendExportDelete_TheExportHoldsItsPartsWithoutSecrets_AndDeletionStopsReplicasRevokesKeysAndKeepsTheAudit()
    {
        using var admin = app.NewClient();
        using var operatorClient = app.NewClient();
        using var support = app.NewClient();
        using var program = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        await operatorClient.SignInAsync("operator@portal.local");
        await support.SignInAsync("support@portal.local");
        var acme = await AcmeAsync(admin);

        var created = await admin.PostAsJsonAsync($"api/v1/deployments?tenantId={acme}", new
        {
            name = "offboard-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var deploymentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var key = (await (await admin.PostAsJsonAsync($"api/v1/keys?tenantId={acme}", new { name = "offboard app" })).Content
            .ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        var credential = await admin.PostAsJsonAsync($"api/v1/weight-credentials?tenantId={acme}", new { kind = "HuggingFace", token = HfToken });
        Assert.True(credential.StatusCode == HttpStatusCode.Created, await credential.Content.ReadAsStringAsync());
        var webhook = await admin.PostAsJsonAsync($"api/v1/webhooks?tenantId={acme}", new { url = "http://127.0.0.1:9/offboard-hook" });
        Assert.True(webhook.StatusCode == HttpStatusCode.Created, await webhook.Content.ReadAsStringAsync());
        var webhookSecret = (await webhook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        await EventuallyAsync(() => admin.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{deploymentId}?tenantId={acme}"),
            d => d.GetProperty("replicas").EnumerateArray().Any(r => r.GetProperty("phase").GetString() == "Ready"), "The replica did not become Ready");
        // The gateway routes to the replica once its routing table has seen it Ready.
        var answer = await EventuallyAsync(async () =>
        {
            using var response = await program.SendAsync(Chat(key, "offboard-chat"));
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }, r => r.StatusCode == HttpStatusCode.OK, "The endpoint did not answer");
        var completion = JsonDocument.Parse(answer.Body).RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        var runtime = app.Services.GetRequiredService<IReplicaRuntime>();
        var replicas = await runtime.ListReplicasAsync(deploymentId);
        Assert.NotEmpty(replicas);
        Assert.All(replicas, r => Assert.NotNull(r.ProcessId));
        await EventuallyAsync(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().RequestSamples.CountAsync(s => s.TenantId == acme && s.StatusCode == 200);
        }, count => count > 0, "No sample of the answered request was stored");

        var endpointId = (await admin.GetFromJsonAsync<JsonElement>($"api/v1/endpoints?tenantId={acme}")).EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == "offboard-chat").GetProperty("id").GetString();
        var objective = await admin.PutAsJsonAsync($"api/v1/endpoints/{endpointId}/latency-objective?tenantId={acme}",
            new { thresholdMs = 800, percentile = 99, windowDays = 30 });
        Assert.True(objective.IsSuccessStatusCode, await objective.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/v1/budgets?tenantId={acme}", new { monthlyUsd = 1200 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"api/v1/budgets/endpoints/{endpointId}?tenantId={acme}",
            new { monthlyUsd = 300, alertPercentages = new[] { 90 } })).StatusCode);
        var chatUrl = new Uri("http://127.0.0.1:9/services/T000/B000/offboard-chat-secret");
        app.AllowOutbound(chatUrl);
        var chatChannel = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={acme}",
            new { name = "#acme-ops", type = "chat", url = chatUrl.ToString(), kinds = new[] { "incident.opened" } });
        Assert.True(chatChannel.StatusCode == HttpStatusCode.Created, await chatChannel.Content.ReadAsStringAsync());
        var emailChannel = await admin.PostAsJsonAsync($"api/v1/notifications/channels?tenantId={acme}",
            new { name = "Acme finance", type = "email", emailTo = new[] { "finance@acme.example" }, kinds = new[] { "spend.threshold" } });
        Assert.True(emailChannel.StatusCode == HttpStatusCode.Created, await emailChannel.Content.ReadAsStringAsync());
        var quiet = await admin.PutAsJsonAsync($"api/v1/notifications/settings?tenantId={acme}",
            new { timeZone = "Europe/Berlin", quietStart = "22:00", quietEnd = "07:00", digestOnly = false, digestHour = 8, incidentsAlwaysSend = true });
        Assert.True(quiet.IsSuccessStatusCode, await quiet.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostAsJsonAsync($"api/v1/platform/tenants/{acme}/suspend", new { reason = "Offboarding: contract ends" })).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync();
        }

        var parts = await ExportAsync(operatorClient, acme);

        Assert.Equal(["audit.jsonl", "configuration.json", "manifest.json", "samples.jsonl"], parts.Keys.Order(StringComparer.Ordinal));
        var everything = string.Concat(parts.Values);
        Assert.DoesNotContain(key, everything);
        Assert.DoesNotContain(key[..20], everything); // Not even the part after the display prefix.
        Assert.DoesNotContain(HfToken, everything);
        Assert.DoesNotContain(webhookSecret, everything);
        Assert.DoesNotContain("canary 7f3a9c", everything);
        Assert.DoesNotContain(completion, everything);
        Assert.DoesNotContain("keyHash", everything, StringComparison.OrdinalIgnoreCase);

        var manifest = JsonDocument.Parse(parts["manifest.json"]).RootElement;
        Assert.Equal("portal-tenant-export/v1", manifest.GetProperty("format").GetString());
        Assert.Equal(acme, manifest.GetProperty("tenant").GetProperty("id").GetGuid());
        Assert.Equal("Suspended", manifest.GetProperty("tenant").GetProperty("state").GetString());
        var counts = manifest.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("deployments").GetInt32());
        Assert.Equal(parts["samples.jsonl"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, counts.GetProperty("samples").GetInt32());

        var configuration = JsonDocument.Parse(parts["configuration.json"]).RootElement;
        var deployment = configuration.GetProperty("deployments").EnumerateArray().Single();
        Assert.Equal(("offboard-chat", "h100-80gb"), (deployment.GetProperty("name").GetString(), deployment.GetProperty("spec").GetProperty("gpuType").GetString()));
        var exportedEndpoint = configuration.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "offboard-chat");
        Assert.Equal(800, exportedEndpoint.GetProperty("latencyObjective").GetProperty("thresholdMs").GetInt32());
        Assert.True(exportedEndpoint.GetProperty("primary").GetProperty("ttftProbes").ValueKind is JsonValueKind.True or JsonValueKind.False);
        var exportedKey = configuration.GetProperty("keys").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "offboard app");
        Assert.Equal(key[..9] + "…", exportedKey.GetProperty("prefix").GetString());
        Assert.Contains(configuration.GetProperty("webhooks").EnumerateArray(), w => w.GetProperty("url").GetString() == "http://127.0.0.1:9/offboard-hook");
        // Budgets, notification channels (a chat URL only masked: it is a bearer secret) and quiet hours.
        Assert.DoesNotContain("offboard-chat-secret", everything);
        var budgets = configuration.GetProperty("budgets").EnumerateArray().ToList();
        Assert.Equal(2, counts.GetProperty("budgets").GetInt32());
        Assert.Equal(("tenant", 1200m), (budgets[0].GetProperty("scope").GetString(), budgets[0].GetProperty("monthlyUsd").GetDecimal()));
        Assert.Equal(("offboard-chat", 300m), (budgets[1].GetProperty("scope").GetString(), budgets[1].GetProperty("monthlyUsd").GetDecimal()));
        Assert.Equal([90], budgets[1].GetProperty("alertPercentages").EnumerateArray().Select(p => p.GetInt32()));
        var channels = configuration.GetProperty("notificationChannels").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(2, counts.GetProperty("notificationChannels").GetInt32());
        Assert.Equal("chat", channels["#acme-ops"].GetProperty("type").GetString());
        Assert.StartsWith("http://127.0.0.1", channels["#acme-ops"].GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(["incident.opened"], channels["#acme-ops"].GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["finance@acme.example"], channels["Acme finance"].GetProperty("emailTo").EnumerateArray().Select(k => k.GetString()));
        var quietHours = configuration.GetProperty("notificationSettings");
        Assert.Equal(("Europe/Berlin", "22:00", "07:00", true), (quietHours.GetProperty("timeZone").GetString(), quietHours.GetProperty("quietStart").GetString(),
            quietHours.GetProperty("quietEnd").GetString(), quietHours.GetProperty("incidentsAlwaysSend").GetBoolean()));
        Assert.Contains(configuration.GetProperty("members").EnumerateArray(),
            m => m.GetProperty("email").GetString() == "admin@demo.local" && m.GetProperty("role").GetString() == "TenantAdmin");

        var sample = parts["samples.jsonl"].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Last(s => s.GetProperty("statusCode").GetInt32() == 200);
        Assert.Equal("offboard-chat", sample.GetProperty("model").GetString());
        Assert.True(sample.GetProperty("endToEndMs").GetDouble() > 0, sample.ToString());
        Assert.Equal(16, sample.GetProperty("completionTokens").GetInt32());

        var publicKey = await operatorClient.GetStringAsync(AuditApi.PublicKeyPath);
        var audit = VerifyOffline(parts["audit.jsonl"], publicKey, out var actions);
        Assert.True(audit.IsValid, audit.Message);
        Assert.Equal(AuditExportCoverage.WholeChain, audit.Coverage);
        Assert.True(audit.CheckpointsVerified >= 1, "The export carries no covering checkpoint.");
        Assert.Contains("key.created", actions);
        Assert.Contains("tenant.suspended", actions);
        Assert.Equal("tenant.exported", actions[^1]);

        var deleted = await operatorClient.DeleteAsync($"api/v1/platform/tenants/{acme}?reason=Offboarded");
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());

        // The replica processes are gone from the machine, and nothing answers on their ports.
        foreach (var replica in replicas)
        {
            await EventuallyAsync(() => Task.FromResult(IsRunning(replica.ProcessId!.Value)), running => !running,
                $"Replica process {replica.ProcessId} is still running");
            Assert.False(await AcceptsConnectionsAsync(replica.BaseUri!), $"Something still answers at {replica.BaseUri}.");
        }

        using var refused = await program.SendAsync(Chat(key, "offboard-chat"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            Assert.Equal(0, await db.WeightCredentials.CountAsync(c => c.TenantId == acme));
            Assert.Equal(0, await db.Webhooks.CountAsync(w => w.TenantId == acme));
        }

        // A deleted tenant can still be exported: its trail is all there, with the deletion, and verifies.
        var afterwards = await ExportAsync(operatorClient, acme);
        var kept = VerifyOffline(afterwards["audit.jsonl"], publicKey, out var keptActions);
        Assert.True(kept.IsValid, kept.Message);
        Assert.Equal("Deleted", JsonDocument.Parse(afterwards["manifest.json"]).RootElement.GetProperty("tenant").GetProperty("state").GetString());
        Assert.True(actions.Count < keptActions.Count);
        Assert.Equal(actions, keptActions.Take(actions.Count));
        Assert.Contains("tenant.deleted", keptActions);

        // The whole chain, platform and every tenant, still verifies on the server.
        var verify = await support.PostAsync("api/v1/audit/verify", null);
        Assert.Equal(HttpStatusCode.Accepted, verify.StatusCode);
        var run = await EventuallyAsync(() => support.GetFromJsonAsync<JsonElement>("api/v1/audit/status"),
            r => r.GetProperty("full").GetBoolean() && r.GetProperty("verifiedUpTo").GetInt64() >= kept.Manifest!.LastSequence, "No full verification ran");
        Assert.True(run.GetProperty("isValid").GetBoolean(), run.ToString());

        // Both exports are on the platform's record and the tenant's.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var exported = await db.AuditRecords.Where(r => r.Action == "tenant.exported" && r.ResourceId == acme.ToString()).ToListAsync();
            Assert.Equal(2, exported.Count(r => r.TenantId == null));
            Assert.Equal(2, exported.Count(r => r.TenantId == acme));
        }
    }

    [Fact]
    public async Task Export_ByAnyoneButAnOperator_Is403_OnThePlatformRecord_AndAnUnknownTenantIs404()
    {
        using var admin = app.NewClient();
        using var support = app.NewClient();
        using var operatorClient = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        await support.SignInAsync("support@portal.local");
        await operatorClient.SignInAsync("operator@portal.local");
        var demo = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();

        using var byAdmin = await admin.GetAsync($"api/v1/platform/tenants/{demo}/export");
        using var bySupport = await support.GetAsync($"api/v1/platform/tenants/{demo}/export");
        using var unknown = await operatorClient.GetAsync($"api/v1/platform/tenants/{Guid.NewGuid()}/export");

        Assert.Equal(HttpStatusCode.Forbidden, byAdmin.StatusCode);
        Assert.Equal("Only a platform operator exports tenants; you are platform support.",
            (await bySupport.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var denied = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords
            .Where(r => r.Action == "tenant.exported" && r.ResourceId == demo.ToString()).ToListAsync();
        Assert.Equal(2, denied.Count);
        Assert.All(denied, r => Assert.Equal((AuditOutcome.Denied, (Guid?)null), (r.Outcome, r.TenantId)));
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(Uri address)
    {
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, address.Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
