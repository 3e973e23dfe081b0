using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal endpoints objective</c> against the real portal: set, show and remove an endpoint's TTFT objective.</summary>
public sealed class LatencyObjectiveCommandsTests(CliPortal portal) : IClassFixture<CliPortal>
{
    private string[] Login() =>
        ["login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret];

    [Fact]
    public async Task SetShowRemove_RoundTripsTheObjective_RefusesABadPercentile_AndIsAudited()
    {
        using var web = portal.App.NewClient();
        await web.SignInAsync("admin@demo.local");
        var tenant = (await web.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetString();
        var created = await web.PostAsJsonAsync($"api/v1/endpoints/serverless?tenantId={tenant}", new
        {
            name = "objective-chat",
            target = new { baseUrl = "http://127.0.0.1:9/v1", upstreamModel = "m", region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var endpointId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync(Login())).ExitCode);

        var set = await cli.RunAsync("endpoints", "objective", "set", "objective-chat", "--threshold-ms", "800", "--percentile", "95", "--window-days", "7");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("objective-chat: TTFT objective p95 ≤ 800 ms over 7 days.", set.Output);

        var shown = await cli.RunAsync("endpoints", "objective", "show", "objective-chat", "--output", "json");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        var objective = JsonDocument.Parse(shown.Output).RootElement;
        Assert.Equal(800, objective.GetProperty("thresholdMs").GetInt32());
        Assert.Equal(95, objective.GetProperty("percentile").GetInt32());
        Assert.Equal(7, objective.GetProperty("windowDays").GetInt32());
        Assert.Equal("NoData", objective.GetProperty("compliance").GetProperty("status").GetString());
        var table = await cli.RunAsync("endpoints", "objective", "show", "objective-chat");
        Assert.Contains("p95 ≤ 800 ms over 7 days", table.Output);
        Assert.Contains("NoData", table.Output);

        var bad = await cli.RunAsync("endpoints", "objective", "set", "objective-chat", "--threshold-ms", "800", "--percentile", "50");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("percentile", bad.Error);
        var unchanged = JsonDocument.Parse((await cli.RunAsync("endpoints", "objective", "show", "objective-chat", "--output", "json")).Output).RootElement;
        Assert.Equal(95, unchanged.GetProperty("percentile").GetInt32());

        var removed = await cli.RunAsync("endpoints", "objective", "remove", "objective-chat");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("removed", removed.Output);
        var gone = await cli.RunAsync("endpoints", "objective", "show", "objective-chat");
        Assert.Equal(1, gone.ExitCode);
        Assert.Contains("has no TTFT objective", gone.Error);

        var log = await web.GetFromJsonAsync<JsonElement>($"api/v1/audit/records?tenantId={tenant}&resourceId={endpointId}");
        var actions = log.GetProperty("records").EnumerateArray().Select(r => r.GetProperty("action").GetString()).ToList();
        Assert.Contains("latency_objective.set", actions);
        Assert.Contains("latency_objective.deleted", actions);
    }
}
