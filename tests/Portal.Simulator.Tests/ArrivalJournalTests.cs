using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Simulator.Tests;

/// <summary><c>GET /simulator/arrivals</c>: what the engine was asked for, in arrival order, counts and times only.</summary>
public sealed class ArrivalJournalTests
{
    [Fact]
    public async Task Arrivals_ListEachCompletionWithItsTokensInOrder()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);
        using var client = Simulator.Client(server);
        var before = DateTimeOffset.UtcNow;

        (await client.PostAsync("v1/chat/completions", Simulator.Json(Simulator.ChatBody(maxTokens: 3, stream: true)))).EnsureSuccessStatusCode();
        var text = JsonSerializer.Serialize(new { model = Simulator.Model, prompt = "a a a a", max_tokens = 7 });
        (await client.PostAsync("v1/completions", Simulator.Json(text))).EnsureSuccessStatusCode();

        var arrivals = await client.GetFromJsonAsync<JsonElement>("simulator/arrivals");
        Assert.Equal(2, arrivals.GetArrayLength());
        var (chat, completion) = (arrivals[0], arrivals[1]);
        Assert.Equal(("chat", 3, true), (chat.GetProperty("kind").GetString(), chat.GetProperty("maxTokens").GetInt32(), chat.GetProperty("stream").GetBoolean()));
        Assert.Equal(("completion", 5, 7), (completion.GetProperty("kind").GetString(), completion.GetProperty("promptTokens").GetInt32(),
            completion.GetProperty("maxTokens").GetInt32())); // four one-letter words and the beginning-of-sequence token
        Assert.True(chat.GetProperty("at").GetDateTimeOffset() >= before.AddSeconds(-1));
        Assert.True(completion.GetProperty("at").GetDateTimeOffset() >= chat.GetProperty("at").GetDateTimeOffset());
        Assert.True(chat.GetProperty("queueMs").GetDouble() >= 0);
        Assert.False(chat.GetProperty("refused").GetBoolean());
        Assert.DoesNotContain("dedicated endpoints", arrivals.ToString()); // no text is kept
    }

    [Fact]
    public async Task Arrivals_SayWhenTheFirstTokenWasDue_ThePlannedPrefillInRealTime()
    {
        // A 1,000 ms prefill at time scale 0.1: due 100 ms after arrival, and the client waits at least that long.
        await using var server = await Simulator.StartAsync(Simulator.Instant with { TimeScale = 0.1, PrefillOverheadMs = 1_000 });
        using var client = Simulator.Client(server);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        (await client.PostAsync("v1/chat/completions", Simulator.Json(Simulator.ChatBody(maxTokens: 1)))).EnsureSuccessStatusCode();
        var elapsed = watch.Elapsed.TotalMilliseconds;

        var due = (await client.GetFromJsonAsync<JsonElement>("simulator/arrivals"))[0].GetProperty("firstTokenDueMs").GetDouble();
        Assert.InRange(due, 100, elapsed);
    }
}
