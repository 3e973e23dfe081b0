using System.ClientModel;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>The official OpenAI SDK works against the gateway with only its base URL and key changed.</summary>
public sealed class OpenAiSdkTests
{
    private static OpenAIClientOptions Options(TestGateway gateway) => new() { Endpoint = gateway.OpenAiBase };

    [Fact]
    public async Task CompleteChat_NonStreaming_ThroughGateway_ReturnsMessageAndUsage_AndItsTtftIsMeasured()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint("acme/support-bot", simulator);
        var client = new ChatClient("acme/support-bot", new ApiKeyCredential(gateway.Key), Options(gateway));

        ChatCompletion completion = await client.CompleteChatAsync(
            [new UserChatMessage("Hello there")], new ChatCompletionOptions { MaxOutputTokenCount = 7 });

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(7, completion.Content[0].Text.Split(' ').Length);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal(200, sample.StatusCode);
        Assert.False(sample.Streamed);
        Assert.Equal(7, sample.CompletionTokens);
        Assert.Equal(7, sample.ContentChunks);
        Assert.NotNull(sample.TtftMs);
        Assert.Equal("chatcmpl-", completion.Id[..9]);
        Assert.Equal(completion.Usage.InputTokenCount, sample.PromptTokens);
    }

    [Fact]
    public async Task CompleteChatStreaming_ThroughGateway_OneTokenPerUpdateAndUsage()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint("acme/support-bot", simulator);
        var client = new ChatClient("acme/support-bot", new ApiKeyCredential(gateway.Key), Options(gateway));

        var text = new List<string>();
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync(
            [new UserChatMessage("Hello there")], new ChatCompletionOptions { MaxOutputTokenCount = 6 }))
        {
            text.AddRange(update.ContentUpdate.Select(part => part.Text).Where(t => t.Length > 0));
            usage ??= update.Usage;
        }

        Assert.Equal(6, text.Count);
        Assert.NotNull(usage);
        Assert.Equal(6, usage.OutputTokenCount);
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.True(sample.Streamed);
        Assert.Equal(6, sample.ContentChunks);
        Assert.Equal(6, sample.CompletionTokens);
        Assert.NotNull(sample.TtftMs);
    }

    [Fact]
    public async Task GenerateEmbeddings_ThroughGateway_OneVectorPerInput_TimeToResponseMeasured()
    {
        await using var simulator = await Simulators.StartAsync(Simulators.Instant with { EmbeddingDimensions = 32 });
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint("acme/embed", simulator);
        var client = new EmbeddingClient("acme/embed", new ApiKeyCredential(gateway.Key), Options(gateway));

        OpenAIEmbeddingCollection embeddings = await client.GenerateEmbeddingsAsync(["first passage", "second passage"]);

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(32, e.ToFloats().Length));
        Assert.NotEqual(embeddings[0].ToFloats().ToArray(), embeddings[1].ToFloats().ToArray());
        var sample = Assert.Single(await gateway.Sink.WaitForAsync(1));
        Assert.Equal(Core.Gateway.GatewayOperation.Embeddings, sample.Operation);
        Assert.Equal(embeddings.Usage.InputTokenCount, sample.PromptTokens);
        Assert.Equal(sample.EndToEndMs, sample.TtftMs);
    }

    [Fact]
    public async Task GetModels_ListsOnlyTheCallersEndpoints()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint("acme/chat", simulator);
        gateway.AddDedicatedEndpoint("acme/summariser", simulator);
        var otherTenant = Guid.NewGuid();
        gateway.Directory.SetEndpoint(new Seams.GatewayEndpoint(Guid.NewGuid(), otherTenant, "rival/secret",
            Seams.GatewayTarget.Dedicated(Guid.NewGuid())));
        var client = new OpenAIModelClient(new ApiKeyCredential(gateway.Key), Options(gateway));

        OpenAIModelCollection models = await client.GetModelsAsync();

        Assert.Equal(["acme/chat", "acme/summariser"], models.Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CompleteChat_WrongKey_SdkSurfacesAuthenticationError()
    {
        await using var simulator = await Simulators.StartAsync();
        await using var gateway = await TestGateway.StartAsync();
        gateway.AddDedicatedEndpoint("acme/chat", simulator);
        var client = new ChatClient("acme/chat", new ApiKeyCredential(Core.Keys.InferenceKey.Generate().Plaintext), Options(gateway));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("Incorrect API key", error.Message);
    }
}
