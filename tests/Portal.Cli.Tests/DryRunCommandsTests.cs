using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal dry-run</c> against the real portal: start a short replay, follow it to its comparison, list it.</summary>
public sealed class DryRunCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task StartShowList_ReplaysTheWindow_AndShowsTheComparisonAndRecommendation()
    {
        using var web = portal.App.NewClient();
        await web.SignInAsync("admin@demo.local");
        var tenant = (await web.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
        portal.App.AllowOutbound(new Uri("http://127.0.0.1:9/"));
        var created = await web.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={tenant}", new
        {
            name = "dry-run-cli",
            target = new { baseUrl = "http://127.0.0.1:9/v1", upstreamModel = "meta-llama/Llama-3.1-8B-Instruct", region = "us-east", outputPricePerMillion = 0.6m },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var view = await created.Content.ReadFromJsonAsync<JsonElement>();
        var from = new DateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1).Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
        await StoreAsync(tenant, view.GetProperty("id").GetGuid(), view.GetProperty("primary").GetProperty("id").GetGuid(), from);
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var started = await cli.RunAsync("dry-run", "start", "dry-run-cli", "--from", from.ToString("O"), "--to", from.AddSeconds(40).ToString("O"),
            "--compression", "20", "--candidate", "name=one,model=llama-3.1-8b-instruct,gpu=h100-80gb,region=us-east,seqs=16,quant=fp8", "--output", "json");
        Assert.True(started.ExitCode == 0, started.ToString());
        var runId = JsonDocument.Parse(started.Output).RootElement.GetProperty("id").GetString()!;

        var deadline = DateTimeOffset.UtcNow.AddMinutes(4);
        CliResult shown;
        do
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The dry run did not finish.");
            await Task.Delay(500);
            shown = await cli.RunAsync("dry-run", "show", "dry-run-cli", runId);
            Assert.True(shown.ExitCode == 0, shown.ToString());
        }
        while (!shown.Output.Contains("Recommendation:") && !shown.Output.Contains("Failed"));

        Assert.Contains("Succeeded", shown.Output);
        Assert.Contains("This is a simulation", shown.Output);
        Assert.Contains("recorded (20 requests)", shown.Output);
        // FP8 weights: half the bytes read per token, so half the profile's 12 ms a token.
        Assert.Contains("one: decode 6 ms a token, prefill 0.03 ms a prompt token, KV cache", shown.Output);
        Assert.Contains("dedicated-8b-h100 is set for", shown.Output);
        Assert.Contains("Recommendation: one.", shown.Output);
        // The migration page as it would read on that candidate: 20 requests are too few to judge the tail.
        Assert.Contains("one, the migration page afterwards: Move back to serverless", shown.Output);
        Assert.Contains("  tail divergence (not enough data):", shown.Output);
        Assert.Contains("  economics (ok):", shown.Output);

        var listed = await cli.RunAsync("dry-run", "list", "dry-run-cli");
        Assert.Contains(runId, listed.Output);
        var cancelled = await cli.RunAsync("dry-run", "cancel", "dry-run-cli", runId);
        Assert.Equal(1, cancelled.ExitCode);
        Assert.Contains("already finished", cancelled.Error);
    }

    /// <summary>20 recorded requests over 40 s, as the gateway stores raw samples; TTFT 60 s so any replay meets the recorded p99,
    /// even on a loaded machine (at ×20 the bar is 3 s of real time).</summary>
    private async Task StoreAsync(Guid tenantId, Guid endpointId, Guid targetId, DateTimeOffset from)
    {
        await using var scope = portal.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.RequestSamples.AddRange(Enumerable.Range(0, 20).Select(i => new RequestSampleRow
        {
            Timestamp = from.AddSeconds(i * 2), TenantId = tenantId, KeyId = Guid.NewGuid(), Operation = GatewayOperation.Chat, Model = "dry-run-cli",
            EndpointId = endpointId, TargetId = targetId, Tier = TargetKind.Serverless, Region = "us-east", StatusCode = 200, Streamed = true,
            TtftMs = 60_000, EndToEndMs = 60_200, PromptTokens = 200, CompletionTokens = 10, Attempts = 1,
        }));
        await db.SaveChangesAsync();
        Assert.Equal(20, await db.RequestSamples.CountAsync(s => s.EndpointId == endpointId));
    }
}
