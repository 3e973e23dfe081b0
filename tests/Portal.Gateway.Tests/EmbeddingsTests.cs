using System.Net;
using System.Text.Json;
using Portal.Core.Gateway;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>Embedding requests are routed and measured: their time to response is their TTFT, and a slow one is a cold start.</summary>
[Collection(nameof(TimingCollection))]
public sealed class EmbeddingsTests
{
    private const string Model = "acme/embed";

    [Fact]
    public async Task Embeddings_ScaleToZero_TimeToResponseRecorded_ColdOneIsAColdStart()
    {
        // A 1.5 s reload after 1 s idle, against a 1 s threshold; a warm embedding takes ~20 ms.
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with
        {
            ScaleToZero = true, IdleTimeoutSeconds = 1, ColdStartSeconds = 1.5, PrefillOverheadMs = 20, EmbeddingDimensions = 16,
        });
        await using var gateway = await TestGateway.StartAsync(o => o.ColdStartThreshold = TimeSpan.FromSeconds(1));
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        await Task.Delay(TimeSpan.FromSeconds(1.3));
        var body = JsonSerializer.Serialize(new { model = Model, input = new[] { "first passage", "second passage" } });
        using var cold = await Simulators.PostAsync(client, "embeddings", body);
        using var warm = await Simulators.PostAsync(client, "embeddings", body);

        Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        using var answer = JsonDocument.Parse(await cold.Content.ReadAsStringAsync());
        Assert.Equal(2, answer.RootElement.GetProperty("data").GetArrayLength());
        Assert.Equal(16, answer.RootElement.GetProperty("data")[0].GetProperty("embedding").GetArrayLength());
        Assert.Equal("true", cold.Headers.GetValues("x-simulator-cold-start").Single());
        Assert.Equal("false", warm.Headers.GetValues("x-simulator-cold-start").Single());

        var samples = await gateway.Sink.WaitForAsync(2);
        Assert.All(samples, s => Assert.Equal((GatewayOperation.Embeddings, 200, false), (s.Operation, s.StatusCode, s.Streamed)));
        Assert.All(samples, s => Assert.Equal(s.EndToEndMs, s.TtftMs));
        Assert.All(samples, s => Assert.Equal(answer.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), s.PromptTokens));
        var (first, second) = (samples[0], samples[1]);
        Assert.True(first.TtftMs >= 1500, $"cold embedding answered after {first.TtftMs} ms, the reload is 1500 ms");
        Assert.True(first.ColdStart);
        Assert.False(second.ColdStart);
    }
}
