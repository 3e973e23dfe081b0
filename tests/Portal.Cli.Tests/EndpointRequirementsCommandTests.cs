using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary><c>portal endpoints requirements</c> against the real portal: the statement is stored, shown, refused when bad, and cleared.</summary>
public sealed class EndpointRequirementsCommandTests(CliPortal portal) : IClassFixture<CliPortal>
{
    [Fact]
    public async Task Requirements_AreStatedShownRefusedAndCleared()
    {
        portal.App.AllowOutbound(new Uri("http://127.0.0.1:9/"));
        using (var client = portal.App.NewClient())
        {
            await client.SignInAsync("dev@demo.local");
            var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
            {
                name = "cli-needs", target = new { baseUrl = "http://127.0.0.1:9/v1/", upstreamModel = "vendor-model" },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var cli = new CliRun();
        var login = await cli.RunAsync("login", "--portal", portal.Url, "--client-id", PortalApp.ClientId, "--client-secret", PortalApp.ClientSecret);
        Assert.True(login.ExitCode == 0, login.ToString());

        var set = await cli.RunAsync("endpoints", "requirements", "cli-needs", "--custom-weights", "--residency", "eu", "--concurrency-floor", "64");
        Assert.True(set.ExitCode == 0, set.ToString());
        Assert.Contains("cli-needs: requires custom weights, residency in EU, at least 64 concurrent requests.", set.Output);

        var show = await cli.RunAsync("endpoints", "show", "cli-needs");
        Assert.Contains("custom weights, residency in EU, at least 64 concurrent requests", show.Output);

        var refused = await cli.RunAsync("endpoints", "requirements", "cli-needs", "--quantization", "int3");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("Quantization", refused.Error);

        var cleared = await cli.RunAsync("endpoints", "requirements", "cli-needs", "--output", "json");
        Assert.True(cleared.ExitCode == 0, cleared.ToString());
        var requirements = JsonDocument.Parse(cleared.Output).RootElement.GetProperty("requirements");
        Assert.False(requirements.GetProperty("customWeights").GetBoolean());
        Assert.Equal(JsonValueKind.Null, requirements.GetProperty("residency").ValueKind);
    }
}
