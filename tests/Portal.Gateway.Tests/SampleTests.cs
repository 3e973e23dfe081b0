using System.Net;
using System.Text.Json;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>Every request leaves a sample; samples survive a graceful stop and never hold request or response text.</summary>
public sealed class SampleTests
{
    private const string Model = "acme/chat";

    [Fact]
    public async Task GracefulStop_AllSamplesPersisted()
    {
        await using var simulator = await Simulators.StartAsync();
        var sink = new RecordingSink(delayPerBatch: TimeSpan.FromMilliseconds(30));
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            o.SampleBatchSize = 7;
            o.SampleFlushInterval = TimeSpan.FromSeconds(5);
        }, sink);
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        var responses = await Task.WhenAll(Enumerable.Range(0, 60)
            .Select(i => Simulators.PostChatAsync(client, Simulators.ChatBody(Model, stream: i % 3 == 0))));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await gateway.StopAsync();

        Assert.Equal(60, sink.Samples.Count);
        Assert.Equal(60, gateway.SampleQueue.Written);
        Assert.Equal(0, gateway.SampleQueue.Dropped);
    }

    [Fact]
    public async Task QueueFull_SamplesDroppedAndCounted_RequestsNotDelayed()
    {
        await using var simulator = await Simulators.StartAsync();
        var sink = new RecordingSink(open: false);
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            o.SampleQueueCapacity = 5;
            o.SampleBatchSize = 1;
        }, sink);
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();

        for (var i = 0; i < 20; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        sink.Open();
        await gateway.StopAsync();

        Assert.InRange(gateway.SampleQueue.Dropped, 1, 15);
        Assert.Equal(20, gateway.SampleQueue.Dropped + sink.Samples.Count);
    }

    [Fact]
    public async Task Samples_HoldNoPromptOrCompletionText()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint(Model, simulator);
        using var client = gateway.Client();
        var completions = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model, maxTokens: 12, stream: i % 2 == 0));
            completions.Add(await response.Content.ReadAsStringAsync());
        }

        using (var bad = await Simulators.PostChatAsync(client, Simulators.ChatBody("acme/unknown")))
        {
            Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        }

        var serialized = JsonSerializer.Serialize(await gateway.Sink.WaitForAsync(7));
        foreach (var word in Simulators.Prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 4))
        {
            Assert.DoesNotContain(word, serialized, StringComparison.OrdinalIgnoreCase);
        }

        var generatedWords = completions
            .SelectMany(c => c.Split(['"', ' ', '\\'], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 5 && w.All(char.IsLetter))
            .Distinct()
            .ToList();
        Assert.NotEmpty(generatedWords);
        foreach (var word in generatedWords.Where(w => !KnownFieldNames.Contains(w)))
        {
            Assert.DoesNotContain(word, serialized, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(gateway.Key, serialized);
    }

    // JSON property names and values of the OpenAI format that also appear as field names or values in samples.
    private static readonly HashSet<string> KnownFieldNames = ["object", "created", "choices", "content", "logprobs", "finish", "assistant", "message", "refusal", "length", "completion", "prompt", "stream", "usage", "tokens", "Streamed"];
}
