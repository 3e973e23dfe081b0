using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Portal.Gateway.Tests.Support;
using Portal.Simulator;

namespace Portal.Gateway.Tests;

/// <summary>Streams pass through chunk by chunk, usage is always measured, and a broken stream still ends cleanly.</summary>
public sealed class StreamingTests
{
    private const string Model = "acme/chat";

    [Fact]
    public async Task ClientDidNotAskForUsage_GatewayMeasuresIt_AndStripsTheExtraChunk()
    {
        await using var upstream = await CaptureServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(allowOutbound: [upstream.BaseUri.Authority]);
        var target = Seams.GatewayTarget.Serverless(Guid.NewGuid(), new Uri(upstream.BaseUri, "v1/"), "sk-up", "us-east");
        gateway.Directory.SetEndpoint(new Seams.GatewayEndpoint(Guid.NewGuid(), gateway.TenantId, Model, target));
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, stream: true), headersOnly: true);
        var events = await Simulators.ReadEventsAsync(response);

        var (_, sent) = Assert.Single(upstream.Received);
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", sent);
        Assert.DoesNotContain(events, e => e.Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Equal(5, events.Count);
        Assert.Equal("[DONE]", events[^1]);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal((9, 2, 2), (sample.PromptTokens, sample.CompletionTokens, sample.ContentChunks));
    }

    [Fact]
    public async Task ClientAskedForUsage_UsageChunkReachesTheClient()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 4, stream: true, includeUsage: true), headersOnly: true);
        var events = await Simulators.ReadEventsAsync(response);

        var usage = Assert.Single(events, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(usage);
        Assert.Equal(4, document.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(4, (await gateway.Sink.WaitForAsync(1))[0].CompletionTokens);
    }

    [Fact]
    public async Task SimulatorStream_WithoutUsageRequested_ClientSeesOnlyChunksAndDone()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 8, stream: true, includeUsage: false), headersOnly: true);
        var events = await Simulators.ReadEventsAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(events, e => e.Contains("\"usage\":{", StringComparison.Ordinal));
        Assert.Equal(1 + 8 + 1 + 1, events.Count); // role, tokens, finish, [DONE]
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal((8, 8), (sample.CompletionTokens, sample.ContentChunks));
        Assert.True(sample.PromptTokens > 0);
    }

    [Fact]
    public async Task TextCompletionStream_IsMeteredByTextDeltas()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();
        var body = JsonSerializer.Serialize(new { model = Model, prompt = "Once upon a time", max_tokens = 6, stream = true });

        using var response = await Simulators.PostAsync(client, "completions", body, headersOnly: true);
        var events = await Simulators.ReadEventsAsync(response);

        Assert.Equal("[DONE]", events[^1]);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal(Core.Gateway.GatewayOperation.TextCompletion, sample.Operation);
        Assert.Equal((6, 6), (sample.ContentChunks, sample.CompletionTokens));
    }

    [Fact]
    public async Task Embeddings_PassedThroughToTheUpstreamPath()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        using var response = await Simulators.PostAsync(client, "embeddings", JsonSerializer.Serialize(new { model = Model, input = "x" }));

        // Only the upstream's /v1/embeddings answers with a list of embeddings.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("embedding", answer.RootElement.GetProperty("data")[0].GetProperty("object").GetString());
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal((Core.Gateway.GatewayOperation.Embeddings, 200, (string?)null), (sample.Operation, sample.StatusCode, sample.ErrorCode));
    }

    [Fact]
    public async Task UpstreamDropsMidStream_ClientGetsSseErrorThenDone_WithinBoundedTime()
    {
        await using var healthy = await Simulators.StartAsync();
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { DropRate = 1, InterTokenLatencyMs = 20 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint("acme/warm-up", healthy);
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        // A reset discards whatever the kernel had not yet handed over; warming up keeps first-call JIT from looking like that.
        using (var warmUp = await Simulators.PostChatAsync(client, Simulators.ChatBody("acme/warm-up", stream: true)))
        {
            Assert.Equal(HttpStatusCode.OK, warmUp.StatusCode);
        }

        var watch = Stopwatch.StartNew();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 20, stream: true), headersOnly: true);
        var events = await Simulators.ReadEventsAsync(response);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", events[^1]);
        using var error = JsonDocument.Parse(events[^2]);
        Assert.Equal("upstream_stream_error", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        var tokens = events.Count(e => e.Contains("\"content\":\"", StringComparison.Ordinal) && !e.Contains("\"content\":\"\"", StringComparison.Ordinal));
        Assert.InRange(tokens, 1, 10);
        var sample = (await gateway.Sink.WaitForAsync(2)).Single(s => s.Model == Model);
        Assert.Equal(("upstream_stream_error", tokens, 200), (sample.ErrorCode, sample.ContentChunks, sample.StatusCode));
    }

    [Fact]
    public async Task UpstreamGoesSilentMidStream_ClientGetsTimeoutErrorEvent()
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { InterTokenLatencyMs = 30_000 });
        await using var gateway = await TestGateway.StartAsync(o => o.StreamIdleTimeout = TimeSpan.FromMilliseconds(500));
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();
        var watch = Stopwatch.StartNew();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 3, stream: true), headersOnly: true);
        var events = await Simulators.ReadEventsAsync(response);

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Contains("upstream_timeout", events[^2]);
    }

    [Fact]
    public async Task SlowStream_FirstChunkReachesTheClientWhileTheUpstreamStillGenerates()
    {
        // The second token comes 30 s after the first: a gateway that buffered the stream would hold the first as long.
        // Judged by the upstream's state when the client has the first chunk, not by a clock.
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { InterTokenLatencyMs = 30_000 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 2, stream: true), headersOnly: true);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? line;
        do
        {
            line = await reader.ReadLineAsync();
        }
        while (line is not null && !(line.Contains("\"content\":\"", StringComparison.Ordinal) && !line.Contains("\"content\":\"\"", StringComparison.Ordinal)));

        Assert.NotNull(line);
        Assert.Equal(1, await RunningAsync(simulator));
    }

    /// <summary>The simulator's <c>vllm:num_requests_running</c> gauge.</summary>
    private static async Task<double> RunningAsync(SimulatorServer simulator)
    {
        using var client = new HttpClient { BaseAddress = simulator.BaseUri };
        var line = (await client.GetStringAsync("metrics")).Split('\n')
            .Single(l => l.StartsWith("vllm:num_requests_running", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
