using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Deployments;
using Portal.Runtimes;
using Portal.Tests.Deployments;
using Portal.Tests.Support;

namespace Portal.Tests.ReplicaLogs;

/// <summary>
/// Replica logs of a real deployment on the local runtime (simulator processes): prompts sent through the gateway never
/// reach a replica's log or the API's answer, the engine's printed secret is redacted, and only the tenant's admins and
/// developers — or support staff inside a look-in — read them.
/// </summary>
public sealed class ReplicaLogsApiTests(PortalApp app) : IClassFixture<PortalApp>
{
    // One deployment per portal: the class's tests read the same replica.
    private static readonly ConditionalWeakTable<PortalApp, Task<Deployed>> _deployments = new();

    private sealed record Deployed(HttpClient Client, string Id, string ReplicaId, string InferenceKey);

    private async Task<(HttpClient Client, string Id, string ReplicaId, string InferenceKey)> DeployedAsync()
    {
        var deployed = await _deployments.GetValue(app, DeployAsync);
        return (deployed.Client, deployed.Id, deployed.ReplicaId, deployed.InferenceKey);
    }

    private static async Task<Deployed> DeployAsync(PortalApp app)
    {
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var created = await client.PostAsJsonAsync("api/v1/deployments", new
        {
            name = "logs-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var key = await (await client.PostAsJsonAsync("api/v1/keys", new { name = "logs app" })).Content.ReadFromJsonAsync<JsonElement>();
        var detail = await DeploymentLifecycleTests.WaitForAsync(client, id, d => DeploymentLifecycleTests.AllReady(d, 1));
        var replica = detail.GetProperty("replicas").EnumerateArray().Single().GetProperty("id").GetString()!;
        return new Deployed(client, id, replica, key.GetProperty("secret").GetString()!);
    }

    private async Task<HttpStatusCode> ChatAsync(string inferenceKey, string content)
    {
        using var gateway = new HttpClient { BaseAddress = app.BaseAddress };
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 40 && status != HttpStatusCode.OK; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = "logs-chat", messages = new[] { new { role = "user", content } }, max_tokens = 4 }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", inferenceKey);
            using var response = await gateway.SendAsync(request);
            status = response.StatusCode;
            if (status != HttpStatusCode.OK)
            {
                await Task.Delay(250);
            }
        }

        return status;
    }

    private static string LogsPath(string id, string replica, string query = "") => $"api/v1/deployments/{id}/replicas/{replica}/logs{query}";

    private async Task<string> LogFileAsync(string id)
    {
        var handle = (await app.Services.GetRequiredService<IReplicaRuntime>().ListReplicasAsync(Guid.Parse(id))).Single();
        return await File.ReadAllTextAsync(handle.LogPath!);
    }

    [Fact]
    public async Task APromptSentThroughTheGateway_NeverReachesTheReplicaLog_NorTheApisAnswer_WhileItsRequestDoes()
    {
        var (client, id, replica, key) = await DeployedAsync();
        var marker = $"prompt-marker-{Guid.NewGuid():n}";

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(key, $"Please keep this private: {marker}"));

        string text = "";
        for (var i = 0; i < 50 && !text.Contains("Finished request", StringComparison.Ordinal); i++)
        {
            text = await client.GetStringAsync(LogsPath(id, replica, "?limit=10000"));
            await Task.Delay(100);
        }

        Assert.Contains("Finished request chatcmpl-", text, StringComparison.Ordinal);
        Assert.Contains("Application startup complete.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(marker, await LogFileAsync(id), StringComparison.Ordinal);
        var json = await client.GetStringAsync(LogsPath(id, replica, "?format=json&q=request"));
        Assert.DoesNotContain(marker, json, StringComparison.Ordinal);
        Assert.All(json.Split('\n', StringSplitOptions.RemoveEmptyEntries), line =>
            Assert.Contains("request", JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task SecretsAnEnginePrints_StayInItsLogFile_ButAreRedactedInEveryAnswer_AndCannotBeSearchedFor()
    {
        var (client, id, replica, _) = await DeployedAsync();
        const string hfToken = "hf_AbCdEfGhIjKlMnOpQrStUvWxYz0123";
        const string awsKey = "AKIAIOSFODNN7EXAMPLE";
        const string password = "s3cr3t-pw-9431";
        // What an engine prints to stdout lands in this file: a weight download and a traceback holding credentials.
        var handle = (await app.Services.GetRequiredService<IReplicaRuntime>().ListReplicasAsync(Guid.Parse(id))).Single();
        await File.AppendAllTextAsync(handle.LogPath!,
            $"INFO {DateTime.UtcNow:MM-dd HH:mm:ss} [weight_utils.py:1] Using token {hfToken} and key {awsKey}\n"
            + $"ERROR {DateTime.UtcNow:MM-dd HH:mm:ss} [loader.py:2] cannot reach postgres://loader:{password}@db.internal/weights\n");

        var text = await client.GetStringAsync(LogsPath(id, replica));
        var download = await client.GetAsync(LogsPath(id, replica, "?download=true&since=1h"));
        var byRuntimeId = await client.GetStringAsync(LogsPath(id, handle.ReplicaId, "?q=Using token&format=json"));

        Assert.Contains(hfToken, await LogFileAsync(id), StringComparison.Ordinal);
        Assert.Contains("Using token [redacted] and key [redacted]", text, StringComparison.Ordinal);
        Assert.Contains("postgres://loader:[redacted]@db.internal", text, StringComparison.Ordinal);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        foreach (var answer in new[] { text, await download.Content.ReadAsStringAsync(), byRuntimeId })
        {
            Assert.DoesNotContain(hfToken, answer, StringComparison.Ordinal);
            Assert.DoesNotContain(awsKey, answer, StringComparison.Ordinal);
            Assert.DoesNotContain(password, answer, StringComparison.Ordinal);
        }

        Assert.Contains("[redacted]", byRuntimeId, StringComparison.Ordinal);
        Assert.Equal("", await client.GetStringAsync(LogsPath(id, replica, $"?q={hfToken[..12]}")));
    }

    [Fact]
    public async Task ADownload_IsAudited_AndATailIsNot()
    {
        var (client, id, replica, _) = await DeployedAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var before = await db.AuditRecords.CountAsync(r => r.Action == Core.Logs.ReplicaLogAccess.DownloadAction);

        await client.GetStringAsync(LogsPath(id, replica));
        var afterTail = await db.AuditRecords.CountAsync(r => r.Action == Core.Logs.ReplicaLogAccess.DownloadAction);
        (await client.GetAsync(LogsPath(id, replica, "?download=true&since=10m"))).EnsureSuccessStatusCode();

        Assert.Equal(before, afterTail);
        var record = await db.AuditRecords.AsNoTracking().Where(r => r.Action == Core.Logs.ReplicaLogAccess.DownloadAction)
            .OrderByDescending(r => r.Sequence).FirstAsync();
        Assert.Equal("Dev Developer", record.ActorName);
        Assert.Contains(id, record.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Follow_StreamsLinesTheEngineWritesAfterTheCallStarted()
    {
        var (client, id, replica, key) = await DeployedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, LogsPath(id, replica, "?follow=true&q=Finished request&since=1s"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(key, "hello"));
        var line = await reader.ReadLineAsync(stop.Token);

        Assert.Matches(@"Finished request chatcmpl-[0-9a-f]+: \d+ prompt tokens", line);
    }

    [Fact]
    public async Task Follow_AsServerSentEvents_SendsEachLineAsAJsonEvent()
    {
        var (client, id, replica, key) = await DeployedAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, LogsPath(id, replica, "?follow=true&q=Added request&since=1s"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));

        Assert.Equal(HttpStatusCode.OK, await ChatAsync(key, "hello again"));
        var data = await reader.ReadLineAsync(stop.Token);

        Assert.StartsWith("data: ", data, StringComparison.Ordinal);
        var line = JsonDocument.Parse(data!["data: ".Length..]).RootElement;
        Assert.Matches(@"Added request chatcmpl-[0-9a-f]+\.", line.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.String, line.GetProperty("time").ValueKind);
    }

    [Fact]
    public async Task AnotherTenantsDeveloper_GetsNotFound_AndAnAuditor_IsRefused()
    {
        var (_, id, replica, _) = await DeployedAsync();
        var acme = await TenantIdAsync("acme");
        using var acmeAdmin = app.NewClient();
        await acmeAdmin.SignInAsync("admin@demo.local");
        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");

        // admin@demo.local is an admin of Acme too; in Acme the Demo deployment does not exist.
        var fromAcme = await acmeAdmin.GetAsync(LogsPath(id, replica, $"?tenantId={acme}"));
        var auditors = await auditor.GetAsync(LogsPath(id, replica));

        Assert.Equal(HttpStatusCode.NotFound, fromAcme.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, auditors.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await acmeAdmin.GetAsync(LogsPath(Guid.NewGuid().ToString(), replica, $"?tenantId={acme}"))).StatusCode);
    }

    [Fact]
    public async Task Support_IsRefusedWithoutALookIn_AndReadsInsideOne()
    {
        var (_, id, replica, _) = await DeployedAsync();
        var demo = await TenantIdAsync("demo");
        using var support = app.NewClient();
        await support.SignInAsync("support@portal.local");

        var without = await support.GetAsync(LogsPath(id, replica, $"?tenantId={demo}"));
        var lookIn = await support.PostAsJsonAsync("api/v1/support/look-ins", new { tenantId = demo, reason = "Ticket 5120: replica logs" });
        var with = await support.GetAsync(LogsPath(id, replica, $"?tenantId={demo}"));

        Assert.Equal(HttpStatusCode.NotFound, without.StatusCode);
        Assert.Equal(HttpStatusCode.Created, lookIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
        Assert.Contains("Application startup complete.", await with.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?since=yesterday", "since")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?format=xml", "format")]
    [InlineData("?follow=maybe", "follow")]
    public async Task BadQuery_Answers400_NamingTheField(string query, string field)
    {
        var (client, id, replica, _) = await DeployedAsync();

        var response = await client.GetAsync(LogsPath(id, replica, query));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }
}
