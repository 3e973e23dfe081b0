using System.ClientModel;
using OpenAI;
using OpenAI.Chat;

namespace Portal.Simulator.Tests;

public sealed class OpenAiSdkTests
{
    private static ChatClient ClientFor(SimulatorServer server) => new(
        Simulator.Model,
        new ApiKeyCredential("sk-any"),
        new OpenAIClientOptions { Endpoint = new Uri(server.BaseUri, "v1") });

    [Fact]
    public async Task CompleteChat_NonStreaming_SdkParsesMessageAndUsage()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);

        ChatCompletion completion = await ClientFor(server).CompleteChatAsync(
            [new UserChatMessage("Hello there")], new ChatCompletionOptions { MaxOutputTokenCount = 7 });

        Assert.Equal(Simulator.Model, completion.Model);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(7, completion.Content[0].Text.Split(' ').Length);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.StartsWith("chatcmpl-", completion.Id);
    }

    [Fact]
    public async Task CompleteChatStreaming_SdkReceivesOneTokenPerUpdateAndUsage()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);

        var text = new List<string>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in ClientFor(server).CompleteChatStreamingAsync(
            [new UserChatMessage("Hello there")], new ChatCompletionOptions { MaxOutputTokenCount = 6 }))
        {
            text.AddRange(update.ContentUpdate.Select(part => part.Text).Where(t => t.Length > 0));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(6, text.Count);
        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.NotNull(usage);
        Assert.Equal(6, usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChat_SameSeedAndPrompt_SameText()
    {
        await using var first = await Simulator.StartAsync(Simulator.Instant);
        await using var second = await Simulator.StartAsync(Simulator.Instant);
        await using var otherSeed = await Simulator.StartAsync(Simulator.Instant with { Seed = 7 });
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 20 };

        async Task<string> TextFrom(SimulatorServer s) =>
            (await ClientFor(s).CompleteChatAsync([new UserChatMessage("repeat")], options)).Value.Content[0].Text;

        Assert.Equal(await TextFrom(first), await TextFrom(second));
        Assert.NotEqual(await TextFrom(first), await TextFrom(otherSeed));
    }
}
