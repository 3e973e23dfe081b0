using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal endpoints probes</c> against the real portal: the serverless TTFT probe opt-in, its cost and the idle gap.</summary>
public sealed class EndpointProbesCommandTests(CliPortal portal) : IClassFixture<CliPortal>
{
    [Fact]
    public async Task Probes_OptsAServerlessTargetIn_ShowsTheMonthlyCost_AndSetsThenForgetsTheIdleGap()
    {
        using (var developer = portal.App.NewClient())
        {
            await developer.SignInAsync("dev@demo.local");
            var created = await developer.PostAsJsonAsync("api/v1/endpoints/serverless", new
            {
                name = "cli-serverless",
                target = new { baseUrl = "http://127.0.0.1:9/v1/", upstreamModel = "vendor-model", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
            });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        }

        using var cli = new CliRun();
        Assert.Equal(0, (await cli.RunAsync("login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret)).ExitCode);

        var shown = await cli.RunAsync("endpoints", "probes", "cli-serverless");
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains("off (watched from production traffic", shown.Output);
        Assert.Contains("(default)", shown.Output);

        var on = await cli.RunAsync("endpoints", "probes", "cli-serverless", "--ttft-probes", "on", "--idle-gap", "300", "--output", "json");
        Assert.True(on.ExitCode == 0, on.ToString());
        var settings = JsonDocument.Parse(on.Output).RootElement;
        Assert.True(settings.GetProperty("ttftProbes").GetBoolean());
        // Every 60 s: 43,200 probes a month of 16 + 1 tokens at $0.20 / $0.60 per million = $0.16.
        Assert.Equal(43_200, settings.GetProperty("ttftProbeCost").GetProperty("probesPerMonth").GetInt64());
        Assert.Equal(0.16m, settings.GetProperty("ttftProbeCost").GetProperty("monthlyUsd").GetDecimal());
        Assert.Equal("configured", settings.GetProperty("idleGapSource").GetString());

        // Learning the gap again keeps the opt-in.
        var learn = await cli.RunAsync("endpoints", "probes", "cli-serverless", "--learn-idle-gap");
        Assert.True(learn.ExitCode == 0, learn.ToString());
        Assert.Contains("on, every 60 s", learn.Output);
        Assert.Contains("≈ $0.16", learn.Output);
        Assert.Contains("(default)", learn.Output);

        var both = await cli.RunAsync("endpoints", "probes", "cli-serverless", "--idle-gap", "60", "--learn-idle-gap");
        Assert.Equal(2, both.ExitCode);
    }
}
