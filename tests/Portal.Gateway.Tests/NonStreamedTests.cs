using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Portal.Gateway.Tests.Support;
using Portal.Simulator;

namespace Portal.Gateway.Tests;

/// <summary>
/// A client that asks for a whole answer still gets a TTFT: the gateway streams from the upstream and assembles the
/// non-streamed answer, which must mean what the upstream's own non-streamed answer means.
/// </summary>
[Collection(nameof(TimingCollection))]
public sealed class NonStreamedTests
{
    private const string Model = "acme/chat";

    // The gateway receives a request before the simulator does and reads a token after the simulator sent it, so its
    // TTFT is the simulator's own plus two loopback hops: never below it (but for the clock-tick rounding of the
    // simulator's histogram), and over it by the hops. Each request is judged only by bounds a stall cannot break
    // (docs/testing.md): from below by the simulator's TTFT, from above by what the client saw. The hops themselves
    // are judged on the median request, which one stalled request cannot move, against an allowance far from the hops'
    // usual 0.4–2.5 ms yet well below the 60 ms a TTFT taken at the end of the stream (3 more tokens, 20 ms apart) would add.
    private const double RoundingMs = 0.5;
    private const double HopAllowanceMs = 20;

    [Fact]
    public async Task NonStreamed_ScaleToZero_EachHasATtftAtTheSimulatorsOwn_ColdOnesCounted()
    {
        // Warm requests take ~90 ms; a reload takes 1.5 s, above the 1 s threshold. A 1 s idle timeout evicts the model
        // before each burst.
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with
        {
            ScaleToZero = true, IdleTimeoutSeconds = 1, ColdStartSeconds = 1.5, PrefillOverheadMs = 30, InterTokenLatencyMs = 20,
        });
        await using var gateway = await TestGateway.StartAsync(o => o.ColdStartThreshold = TimeSpan.FromSeconds(1));
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        // One unjudged request first: the gateway's first request pays its JIT and its connection to the simulator.
        using (var warmUp = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 4)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var coldAnswers = 0;
        var seen = 1;
        var excessMs = new List<double>();
        for (var burst = 0; burst < 2; burst++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.3));

            for (var i = 0; i < 3; i++)
            {
                var before = await SimulatorTtftSumAsync(simulator);
                var watch = Stopwatch.StartNew();
                using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 4));
                var clientMs = watch.Elapsed.TotalMilliseconds;
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                var simulatorTtftMs = (await SimulatorTtftSumAsync(simulator) - before) * 1000;
                var cold = response.Headers.GetValues(CompletionHandlerHeaders.ColdStart).Single() == "true";
                coldAnswers += cold ? 1 : 0;

                var sample = (await gateway.Sink.WaitForAsync(++seen))[^1];
                Assert.False(sample.Streamed);
                Assert.NotNull(sample.TtftMs);
                Assert.InRange(sample.TtftMs.Value, simulatorTtftMs - RoundingMs, clientMs);
                excessMs.Add(sample.TtftMs.Value - simulatorTtftMs);
                // The gateway's rule is its own TTFT over the threshold: every reload (1.5 s) meets it, and so would a warm
                // answer stalled for a second on a loaded machine, which the simulator calls warm.
                Assert.Equal(sample.TtftMs > 1_000, sample.ColdStart);
                Assert.True(!cold || sample.ColdStart);
                Assert.Equal(4, sample.ContentChunks);
                Assert.Equal(4, sample.CompletionTokens);
                Assert.NotNull(sample.ItlMeanMs);
            }
        }

        var median = excessMs.Order().ElementAt(excessMs.Count / 2);
        Assert.True(median <= HopAllowanceMs, $"gateway TTFT over the simulator's by {string.Join(", ", excessMs.Select(e => e.ToString("F2", CultureInfo.InvariantCulture)))} ms");
        Assert.True(coldAnswers >= 2, $"{coldAnswers} cold answers");
        Assert.InRange(gateway.Sink.Samples.Skip(1).Count(s => s.ColdStart), coldAnswers, 6);
    }

    [Theory]
    [InlineData("chat/completions")]
    [InlineData("completions")]
    public async Task NonStreamed_AnswerMeansWhatTheUpstreamsOwnAnswerMeans(string path)
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { Seed = 42 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();
        using var direct = new HttpClient { BaseAddress = new Uri(simulator.BaseUri, "v1/") };

        using var viaGateway = await Simulators.PostAsync(client, path, Body(path, Model, stream: null));
        using var fromUpstream = await Simulators.PostAsync(direct, path, Body(path, Simulators.Model, stream: false));

        Assert.Equal(HttpStatusCode.OK, viaGateway.StatusCode);
        Assert.Equal("application/json", viaGateway.Content.Headers.ContentType?.MediaType);
        using var mine = JsonDocument.Parse(await viaGateway.Content.ReadAsStringAsync());
        using var theirs = JsonDocument.Parse(await fromUpstream.Content.ReadAsStringAsync());
        var (a, b) = (mine.RootElement, theirs.RootElement);
        Assert.Equal(b.GetProperty("object").GetString(), a.GetProperty("object").GetString());
        Assert.Equal(b.GetProperty("model").GetString(), a.GetProperty("model").GetString());
        Assert.StartsWith(path == "completions" ? "cmpl-" : "chatcmpl-", a.GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Number, a.GetProperty("created").ValueKind);
        Assert.Equal(Text(b), Text(a));
        Assert.NotEmpty(Text(a));
        var (choiceA, choiceB) = (a.GetProperty("choices")[0], b.GetProperty("choices")[0]);
        Assert.Equal(choiceB.GetProperty("finish_reason").GetString(), choiceA.GetProperty("finish_reason").GetString());
        Assert.Equal(choiceB.GetProperty("index").GetInt32(), choiceA.GetProperty("index").GetInt32());
        Assert.Equal(JsonValueKind.Null, choiceA.GetProperty("logprobs").ValueKind);
        Assert.Single(a.GetProperty("choices").EnumerateArray());
        if (path != "completions")
        {
            Assert.Equal("assistant", choiceA.GetProperty("message").GetProperty("role").GetString());
        }

        foreach (var field in new[] { "prompt_tokens", "completion_tokens", "total_tokens" })
        {
            Assert.Equal(b.GetProperty("usage").GetProperty(field).GetInt32(), a.GetProperty("usage").GetProperty(field).GetInt32());
        }

        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.NotNull(sample.TtftMs);
        Assert.Equal(6, sample.CompletionTokens);
    }

    [Fact]
    public async Task NonStreamed_UpstreamErrorBeforeTheFirstByte_PassedThrough()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        // The simulator, like vLLM, refuses a completion longer than its context.
        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 1_000_000));

        var error = await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("maximum context length", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal(400, sample.StatusCode);
        Assert.Null(sample.TtftMs);
    }

    [Fact]
    public async Task NonStreamed_UpstreamThatDoesNotStream_PassedThroughAsItAnswered()
    {
        await using var upstream = await CaptureServer.StartAsync(neverStreams: true);
        await using var gateway = await TestGateway.StartAsync(allowOutbound: [upstream.BaseUri.Authority]);
        var target = Seams.GatewayTarget.Serverless(Guid.NewGuid(), new Uri(upstream.BaseUri, "v1/"), "sk-up", "us-east");
        gateway.Directory.SetEndpoint(new Seams.GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, target));
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, sent) = Assert.Single(upstream.Received);
        using var sentBody = JsonDocument.Parse(sent);
        Assert.True(sentBody.RootElement.GetProperty("stream").GetBoolean());
        Assert.True(sentBody.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(CaptureServer.NonStreamedAnswer, await response.Content.ReadAsStringAsync());
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Null(sample.TtftMs);
        Assert.Equal(2, sample.CompletionTokens);
    }

    [Fact]
    public async Task NonStreamed_UpstreamBreaksMidStream_ClientGetsAnError()
    {
        // Tokens 20 ms apart, so the stream has started when the simulator drops the connection halfway.
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { DropRate = 1, InterTokenLatencyMs = 20 });
        await using var gateway = await TestGateway.StartAsync(o => o.MaxAttempts = 1);
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 8));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadGateway, "upstream_stream_error");
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal("upstream_stream_error", sample.ErrorCode);
        Assert.Equal(502, sample.StatusCode);
    }

    [Fact]
    public async Task NonStreamed_UpstreamGoesSilentMidStream_ClientGets504()
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { InterTokenLatencyMs = 30_000 });
        await using var gateway = await TestGateway.StartAsync(o => o.StreamIdleTimeout = TimeSpan.FromMilliseconds(500));
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 3));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.GatewayTimeout, "upstream_timeout");
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal(("upstream_timeout", 504, 1), (sample.ErrorCode, sample.StatusCode, sample.ContentChunks));
        Assert.NotNull(sample.TtftMs);
    }

    private static string Body(string path, string model, bool? stream)
    {
        var body = new Dictionary<string, object> { ["model"] = model, ["max_tokens"] = 6 };
        if (path == "completions")
        {
            body["prompt"] = Simulators.Prompt;
        }
        else
        {
            body["messages"] = new[] { new { role = "user", content = Simulators.Prompt } };
        }

        if (stream is { } value)
        {
            body["stream"] = value;
        }

        return JsonSerializer.Serialize(body);
    }

    private static string Text(JsonElement answer)
    {
        var choice = answer.GetProperty("choices")[0];
        return choice.TryGetProperty("message", out var message)
            ? message.GetProperty("content").GetString()!
            : choice.GetProperty("text").GetString()!;
    }

    /// <summary>The simulator's own sum of TTFTs (its Prometheus histogram), in seconds.</summary>
    private static async Task<double> SimulatorTtftSumAsync(SimulatorServer simulator)
    {
        using var client = new HttpClient { BaseAddress = simulator.BaseUri };
        var text = await client.GetStringAsync("metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("vllm:time_to_first_token_seconds_sum", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static class CompletionHandlerHeaders
    {
        public const string ColdStart = "x-simulator-cold-start";
    }
}
