using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>Starting, following, cancelling and listing dry runs through the management API, with the audit trail and the roles.</summary>
public sealed class DryRunLifecycleTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task RunningDryRun_ShowsProgress_StopsWhenCancelled_AndEveryStepIsAudited()
    {
        using var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, client, "dry-run-cancel");
        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-cancel", from,
            Enumerable.Range(0, 120).Select(i => new Recorded(i * 4, GatewayOperation.Chat, 200, 10, Streamed: true)));

        // Eight recorded minutes at ×4 replay in two: long enough to be seen running and cancelled.
        var started = await client.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs",
            new { from, to = from.AddMinutes(8), compression = 4, candidates = new[] { DryRunRecordings.Candidate("1× H100") } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        JsonElement running;
        var deadline = DateTimeOffset.UtcNow + DryRunRecordings.Patience;
        do
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The dry run never showed progress.");
            await Task.Delay(250);
            running = await client.GetFromJsonAsync<JsonElement>($"api/v1/endpoints/{endpointId}/dry-runs/{runId}");
        }
        while (running.GetProperty("progress").GetDouble() == 0);

        Assert.Equal("Running", running.GetProperty("status").GetString());
        Assert.True(running.GetProperty("expectedEndAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);

        var cancelled = await client.PostAsync($"api/v1/endpoints/{endpointId}/dry-runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var finished = await DryRunRecordings.FinishedAsync(client, endpointId, runId);
        Assert.Equal("Cancelled", finished.GetProperty("status").GetString());
        Assert.True(finished.GetProperty("progress").GetDouble() < 1);
        Assert.Equal(JsonValueKind.Null, finished.GetProperty("report").ValueKind);

        var again = await client.PostAsync($"api/v1/endpoints/{endpointId}/dry-runs/{runId}/cancel", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var listed = await client.GetFromJsonAsync<JsonElement>($"api/v1/endpoints/{endpointId}/dry-runs");
        Assert.Equal(runId, listed.EnumerateArray().Single().GetProperty("id").GetGuid());

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var actions = await db.AuditRecords.AsNoTracking().Where(r => r.ResourceId == endpointId.ToString() && r.Action.StartsWith("endpoint.dry_run"))
            .OrderBy(r => r.Sequence).Select(r => r.Action).ToListAsync();
        Assert.Equal(["endpoint.dry_run_started", "endpoint.dry_run_cancelled", "endpoint.dry_run_finished"], actions);
    }

    [Fact]
    public async Task StartingADryRun_IsRefusedToAnAuditor_AndBadInputGetsFieldErrors()
    {
        using var developer = app.NewClient();
        await developer.SignInAsync("dev@demo.local");
        var (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(app, developer, "dry-run-refusals");
        await DryRunRecordings.StoreAsync(app, endpointId, targetId, "dry-run-refusals", from, [new Recorded(1, GatewayOperation.Chat, 100, 5, true)]);

        var bad = await developer.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs", new
        {
            from, to = from.AddDays(8), compression = 0.5,
            candidates = new[] { new { model = "llama-3.1-8b-instruct", gpuType = "h100-80gb", region = "us-east", profile = "nonsense" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("to", out _));
        Assert.True(errors.TryGetProperty("compression", out _));
        Assert.True(errors.TryGetProperty("candidates[0].profile", out _));

        // Runtime settings are checked as a deployment's: AWQ needs a checkpoint already quantized that way.
        var awq = await developer.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs", new
        {
            from, to = from.AddMinutes(10), compression = 10,
            candidates = new[] { new { model = "llama-3.1-8b-instruct", gpuType = "h100-80gb", region = "us-east", runtime = new { quantization = "Awq" } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, awq.StatusCode);
        var awqErrors = (await awq.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(awqErrors.TryGetProperty("candidates[0].Runtime.Quantization", out _), awqErrors.ToString());

        var empty = await developer.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs", new
        {
            from = from.AddMinutes(10), to = from.AddMinutes(20), compression = 10, candidates = new[] { DryRunRecordings.Candidate("1× H100") },
        });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("no request", await empty.Content.ReadAsStringAsync());

        using var auditor = app.NewClient();
        await auditor.SignInAsync("auditor@demo.local");
        var refused = await auditor.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs", new
        {
            from, to = from.AddMinutes(1), compression = 10, candidates = new[] { DryRunRecordings.Candidate("1× H100") },
        });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"api/v1/endpoints/{endpointId}/dry-runs")).StatusCode);

        // The page: the start form for those who may start one, the list for every role of the migration area.
        var page = await developer.GetStringAsync($"migration/dry-runs/{endpointId}");
        Assert.Contains("data-testid=\"start-dry-run\"", page);
        // By default two hours at ×10, with how long that takes and how close replays at ×10 have come.
        Assert.Contains("2 h replays in 12 min a candidate.", page);
        Assert.All(Portal.Core.DryRun.ReplayAccuracy.Statement(10).Split('×'), part => Assert.Contains(part, page)); // × may be encoded
        var auditorsPage = await auditor.GetStringAsync($"migration/dry-runs/{endpointId}");
        Assert.Contains("Dry runs", auditorsPage);
        Assert.DoesNotContain("data-testid=\"start-dry-run\"", auditorsPage);
    }
}
