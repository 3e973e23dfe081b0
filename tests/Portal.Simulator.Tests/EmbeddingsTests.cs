using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Portal.Simulator.Tests;

/// <summary><c>/v1/embeddings</c> answers like vLLM's OpenAI server: fixed dimensions, repeatable vectors, usage, cold starts.</summary>
[Collection(TimingCollection.Name)]
public sealed class EmbeddingsTests
{
    private static Task<HttpResponseMessage> PostAsync(HttpClient client, object body) =>
        client.PostAsync("v1/embeddings", Simulator.Json(JsonSerializer.Serialize(body)));

    private static async Task<JsonElement> AnswerAsync(HttpClient client, object body)
    {
        using var response = await PostAsync(client, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static float[] Vector(JsonElement item) =>
        [.. item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    [Fact]
    public async Task StringInput_OneUnitVectorOfTheProfilesDimensions_WithUsage()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { EmbeddingDimensions = 384 });
        using var client = Simulator.Client(server);

        var answer = await AnswerAsync(client, new { model = Simulator.Model, input = "residency report for the auditors" });

        Assert.Equal("list", answer.GetProperty("object").GetString());
        Assert.Equal(Simulator.Model, answer.GetProperty("model").GetString());
        var item = Assert.Single(answer.GetProperty("data").EnumerateArray());
        Assert.Equal(("embedding", 0), (item.GetProperty("object").GetString(), item.GetProperty("index").GetInt32()));
        var vector = Vector(item);
        Assert.Equal(384, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => (double)v * v)), precision: 4);
        var usage = answer.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task SameInputAndSeed_SameVector_OtherInputOrSeed_Another()
    {
        await using var first = await Simulator.StartAsync(Simulator.Instant with { Seed = 5 });
        await using var second = await Simulator.StartAsync(Simulator.Instant with { Seed = 5 });
        await using var otherSeed = await Simulator.StartAsync(Simulator.Instant with { Seed = 6 });
        using var a = Simulator.Client(first);
        using var b = Simulator.Client(second);
        using var c = Simulator.Client(otherSeed);
        var body = new { model = Simulator.Model, input = new[] { "alpha", "beta" } };

        var fromA = await AnswerAsync(a, body);
        var fromB = await AnswerAsync(b, body);
        var fromC = await AnswerAsync(c, body);

        var data = fromA.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1], data.Select(d => d.GetProperty("index").GetInt32()));
        Assert.Equal(Vector(data[0]), Vector(fromB.GetProperty("data")[0]));
        Assert.Equal(Vector(data[1]), Vector(fromB.GetProperty("data")[1]));
        Assert.NotEqual(Vector(data[0]), Vector(data[1]));
        Assert.NotEqual(Vector(data[0]), Vector(fromC.GetProperty("data")[0]));
    }

    [Fact]
    public async Task TokenInputs_CountedAsTheirLength_Base64IsTheSameFloats()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { EmbeddingDimensions = 8 });
        using var client = Simulator.Client(server);

        var single = await AnswerAsync(client, new { model = Simulator.Model, input = new[] { 101, 2023, 102 } });
        var several = await AnswerAsync(client, new { model = Simulator.Model, input = new[] { new[] { 101, 2023, 102 }, new[] { 7 } } });
        var encoded = await AnswerAsync(client, new { model = Simulator.Model, input = new[] { 101, 2023, 102 }, encoding_format = "base64" });

        Assert.Equal(3, single.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, several.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(Vector(single.GetProperty("data")[0]), Vector(several.GetProperty("data")[0]));
        var bytes = Convert.FromBase64String(encoded.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var decoded = Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(Vector(single.GetProperty("data")[0]), decoded);
    }

    [Theory]
    [InlineData("""{"model":"test-model"}""", "input")]
    [InlineData("""{"model":"test-model","input":[]}""", "input")]
    [InlineData("""{"model":"test-model","input":[1,"two"]}""", "input")]
    [InlineData("""{"model":"test-model","input":["a",[1]]}""", "input")]
    [InlineData("""{"model":"test-model","input":[[]]}""", "input")]
    [InlineData("""{"model":"test-model","input":{"text":"a"}}""", "input")]
    [InlineData("""{"model":"test-model","input":"a","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"test-model","input":"a","dimensions":12}""", "dimensions")]
    public async Task BadInput_400NamingTheField(string body, string param)
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);
        using var client = Simulator.Client(server);

        using var response = await client.PostAsync("v1/embeddings", Simulator.Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await Simulator.AssertOpenAiErrorAsync(response)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task UnknownModel_404()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant);
        using var client = Simulator.Client(server);

        using var response = await PostAsync(client, new { model = "other", input = "a" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AfterIdlePeriod_ScaleToZero_EmbeddingIsColdAndWaitsForTheReload()
    {
        // Real time: 1 s idle timeout, 1.5 s reload. The reload is judged only from below.
        await using var server = await Simulator.StartAsync(Simulator.Instant with
        {
            TimeScale = 1, ScaleToZero = true, IdleTimeoutSeconds = 1, ColdStartSeconds = 1.5,
        });
        using var client = Simulator.Client(server);

        await Task.Delay(1300);
        var watch = Stopwatch.StartNew();
        using var cold = await PostAsync(client, new { model = Simulator.Model, input = "wake up" });
        var coldMs = watch.Elapsed.TotalMilliseconds;
        using var warm = await PostAsync(client, new { model = Simulator.Model, input = "still awake" });

        Assert.Equal(HttpStatusCode.OK, cold.StatusCode);
        Assert.True(Simulator.IsColdStart(cold));
        Assert.True(coldMs >= 1500 * 0.95, $"answered after {coldMs} ms, before the 1500 ms reload");
        Assert.False(Simulator.IsColdStart(warm));
    }
}
