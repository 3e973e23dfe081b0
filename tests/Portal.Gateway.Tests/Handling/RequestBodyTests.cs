using System.Text;
using System.Text.Json;
using Portal.Gateway.Handling;

namespace Portal.Gateway.Tests.Handling;

public sealed class RequestBodyTests
{
    private static RequestFields Parse(string json)
    {
        var (fields, error) = RequestBody.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        return fields!.Value;
    }

    private static JsonElement Rewrite(string json, string? upstreamModel, bool addUsage)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var fields = RequestBody.Parse(body).Fields!.Value;
        return JsonDocument.Parse(RequestBody.Rewrite(body, fields, upstreamModel, addUsage)).RootElement;
    }

    [Fact]
    public void Parse_FindsModelStreamAndUsage()
    {
        var fields = Parse("""{"messages":[{"role":"user","content":"hi \"model\": x"}],"model":"acme/chat","stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal(("acme/chat", true, true), (fields.Model, fields.Stream, fields.IncludeUsage));
    }

    [Fact]
    public void Parse_NestedModelKeyIgnored()
    {
        var (fields, error) = RequestBody.Parse("""{"metadata":{"model":"decoy"}}"""u8.ToArray());

        Assert.Null(fields);
        Assert.Equal("model", error!.Param);
    }

    [Theory]
    [InlineData("[1,2]", "invalid_json")]
    [InlineData("\"text\"", "invalid_json")]
    [InlineData("{\"model\":\"m\",}", "invalid_json")]
    [InlineData("{\"model\":\"m\"}{}", "invalid_json")]
    [InlineData("{\"model\":\"m\",\"stream\":\"yes\"}", null)]
    [InlineData("{\"model\":7}", null)]
    public void Parse_Refusals(string json, string? code)
    {
        var (fields, error) = RequestBody.Parse(Encoding.UTF8.GetBytes(json));

        Assert.Null(fields);
        Assert.Equal(400, error!.Status);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Rewrite_NothingToDo_SameBytes()
    {
        var body = """{"model":"m","stream":false}"""u8.ToArray();
        var fields = RequestBody.Parse(body).Fields!.Value;

        Assert.Same(body, RequestBody.Rewrite(body, fields, "m", addUsage: false));
    }

    [Fact]
    public void Rewrite_ModelReplaced_RestUntouched()
    {
        var root = Rewrite("""{"model":"acme/chat","temperature":0.25,"messages":[{"role":"user","content":"caf\u00e9"}]}""", "meta-llama/Llama-3.1-8B-Instruct", false);

        Assert.Equal("meta-llama/Llama-3.1-8B-Instruct", root.GetProperty("model").GetString());
        Assert.Equal(0.25, root.GetProperty("temperature").GetDouble());
        Assert.Equal("café", root.GetProperty("messages")[0].GetProperty("content").GetString());
    }

    [Theory]
    [InlineData("""{"model":"m","stream":true}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":null}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{}}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"continuous_usage_stats":false}}""")]
    [InlineData("""{"model":"m","stream":true,"stream_options":{"include_usage":false}}""")]
    [InlineData("""{ "model" : "m" , "stream" : true , "stream_options" : { "include_usage" : null } }""")]
    public void Rewrite_AddUsage_EveryShapeOfStreamOptions(string json)
    {
        var root = Rewrite(json, "upstream", addUsage: true);

        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("upstream", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
    }

    [Fact]
    public void Rewrite_AddUsage_KeepsOtherStreamOptions()
    {
        var root = Rewrite("""{"model":"m","stream":true,"stream_options":{"continuous_usage_stats":false}}""", null, true);

        Assert.False(root.GetProperty("stream_options").GetProperty("continuous_usage_stats").GetBoolean());
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[]}""")]
    [InlineData("""{"model":"m","stream":false,"messages":[]}""")]
    [InlineData("""{"model":"m","stream":null,"messages":[]}""")]
    [InlineData("""{ "stream" : false , "model" : "m" }""")]
    public void Rewrite_ForceStream_StreamAndUsageSet_EverythingElseKept(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var fields = RequestBody.Parse(body).Fields!.Value;

        var root = JsonDocument.Parse(RequestBody.Rewrite(body, fields, "upstream", addUsage: true, forceStream: true)).RootElement;

        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal("upstream", root.GetProperty("model").GetString());
        Assert.Single(root.EnumerateObject(), p => p.Name == "stream");
        Assert.Equal(json.Contains("messages", StringComparison.Ordinal), root.TryGetProperty("messages", out _));
    }
}
