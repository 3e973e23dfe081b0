using System.Net;
using System.Net.Http.Headers;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

public sealed class ApiKeyTests
{
    private const string Key = "rs_replica-secret";

    private static HttpRequestMessage Request(HttpMethod method, string path, string? bearer, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (body is not null)
        {
            request.Content = Simulator.Json(body);
        }

        return request;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("rs_replica-secret-and-more")]
    public async Task V1Routes_WithoutTheRightBearer_Answer401InOpenAisShape(string? bearer)
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { ApiKey = Key });
        using var client = Simulator.Client(server);

        using var models = await client.SendAsync(Request(HttpMethod.Get, "v1/models", bearer));
        using var chat = await client.SendAsync(Request(HttpMethod.Post, "v1/chat/completions", bearer, Simulator.ChatBody()));
        using var completions = await client.SendAsync(Request(HttpMethod.Post, "v1/completions", bearer, "{\"model\":\"test-model\",\"prompt\":\"hi\"}"));

        foreach (var response in new[] { models, chat, completions })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var error = await Simulator.AssertOpenAiErrorAsync(response);
            Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task V1Routes_WithTheBearer_AreServed()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { ApiKey = Key });
        using var client = Simulator.Client(server);

        using var models = await client.SendAsync(Request(HttpMethod.Get, "v1/models", Key));
        using var chat = await client.SendAsync(Request(HttpMethod.Post, "v1/chat/completions", Key, Simulator.ChatBody()));

        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
        Assert.Contains(Simulator.Model, await models.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
    }

    [Fact]
    public async Task HealthAndMetrics_StayOpenAsInVllm()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { ApiKey = Key });
        using var client = Simulator.Client(server);

        using var health = await client.GetAsync("health");
        using var metrics = await client.GetAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Contains("vllm:", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoKey_LeavesV1Open()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);
        using var client = Simulator.Client(server);

        using var models = await client.GetAsync("v1/models");

        Assert.Equal(HttpStatusCode.OK, models.StatusCode);
    }

    [Fact]
    public void CommandLine_ApiKeyFlagSetsTheKeyAndRoundTrips()
    {
        var options = SimulatorCommandLine.Parse(["--api-key", Key, "--served-model-name", "m"]);

        Assert.Equal(Key, options.ApiKey);
        Assert.Equal(options, SimulatorCommandLine.Parse(SimulatorCommandLine.ToArguments(options)));
        Assert.Equal("", SimulatorCommandLine.Parse([]).ApiKey);
    }
}
