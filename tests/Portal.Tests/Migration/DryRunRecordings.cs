using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>One recorded request of a test window: seconds after the window's start, tokens, and what the endpoint measured.</summary>
internal sealed record Recorded(double AtSeconds, GatewayOperation Operation, int PromptTokens, int CompletionTokens, bool Streamed,
    double TtftMs = 150, bool ColdStart = false);

/// <summary>
/// The dry-run tests' common steps: an endpoint whose recorded window is stored as the gateway stores raw samples, a
/// dry run started and followed through the management API until it finishes.
/// </summary>
internal static class DryRunRecordings
{
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    /// <summary>A serverless endpoint (its upstream is never called) and the start of a recorded window two hours ago.</summary>
    public static async Task<(Guid EndpointId, Guid TargetId, DateTimeOffset From)> EndpointAsync(PortalApp app, HttpClient client, string name)
    {
        app.AllowOutbound(new Uri("http://127.0.0.1:9/"));
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new { baseUrl = "http://127.0.0.1:9/v1/", upstreamModel = "meta-llama/Llama-3.1-8B-Instruct", region = "us-east", outputPricePerMillion = 0.1m },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var from = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-2).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        return (view.GetProperty("id").GetGuid(), view.GetProperty("primary").GetProperty("id").GetGuid(), from);
    }

    public static async Task StoreAsync(PortalApp app, Guid endpointId, Guid targetId, string model, DateTimeOffset from, IEnumerable<Recorded> requests)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var tenantId = await db.Endpoints.Where(e => e.Id == endpointId).Select(e => e.TenantId).SingleAsync();
        var keyId = Guid.NewGuid();
        db.RequestSamples.AddRange(requests.Select(r => new RequestSampleRow
        {
            Timestamp = from.AddSeconds(r.AtSeconds), TenantId = tenantId, KeyId = keyId, Operation = r.Operation, Model = model,
            EndpointId = endpointId, TargetId = targetId, Tier = TargetKind.Serverless, Region = "us-east", StatusCode = 200,
            Streamed = r.Streamed, TtftMs = r.TtftMs, EndToEndMs = r.TtftMs + 14 * r.CompletionTokens, PromptTokens = r.PromptTokens,
            CompletionTokens = r.CompletionTokens, ColdStart = r.ColdStart, Attempts = 1,
        }));
        await db.SaveChangesAsync();
    }

    /// <summary>A Llama 3.1 8B candidate in us-east, on one H100 unless told.</summary>
    public static object Candidate(string name, int baseline = 1, int max = 1, int seqs = 16, bool scaleToZero = false,
        string gpuType = "h100-80gb", int gpus = 1) => new
    {
        name, model = "llama-3.1-8b-instruct", gpuType, gpusPerReplica = gpus, baselineReplicas = baseline, maxReplicas = max,
        region = "us-east", maxConcurrentSequences = seqs, scaleToZero,
    };

    /// <summary>Starts a dry run and follows it until it finishes; answers the finished run.</summary>
    public static async Task<JsonElement> RunAsync(HttpClient client, Guid endpointId, DateTimeOffset from, DateTimeOffset to, double compression,
        params object[] candidates)
    {
        var started = await client.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs", new { from, to, compression, candidates });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return await FinishedAsync(client, endpointId, runId);
    }

    public static async Task<JsonElement> FinishedAsync(HttpClient client, Guid endpointId, Guid runId)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var run = await client.GetFromJsonAsync<JsonElement>($"api/v1/endpoints/{endpointId}/dry-runs/{runId}");
            var status = run.GetProperty("status").GetString();
            if (status is "Succeeded" or "Failed" or "Cancelled" or "Interrupted")
            {
                return run;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The dry run is still {status} after {Patience.TotalMinutes} minutes.");
            await Task.Delay(250);
        }
    }

    public static JsonElement Candidate(JsonElement run, int index)
    {
        Assert.True(run.GetProperty("status").GetString() == "Succeeded", run.GetProperty("error").ToString());
        return run.GetProperty("report").GetProperty("candidates")[index];
    }
}
