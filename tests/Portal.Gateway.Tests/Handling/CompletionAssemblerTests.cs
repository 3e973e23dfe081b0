using System.Text.Json;
using Portal.Core.Gateway;
using Portal.Gateway.Forwarding;

namespace Portal.Gateway.Tests.Handling;

/// <summary>Chunks of a stream, assembled into the answer the upstream would have given without <c>stream</c>.</summary>
public sealed class CompletionAssemblerTests
{
    private static JsonElement Assemble(GatewayOperation operation, params string[] chunks)
    {
        var assembler = new CompletionAssembler(operation);
        foreach (var chunk in chunks)
        {
            assembler.Add(chunk);
        }

        return JsonDocument.Parse(assembler.Build()).RootElement;
    }

    private const string Head = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","system_fingerprint":"fp1","choices":""";

    [Fact]
    public void Chat_ContentJoined_IdentityFinishAndUsageKept()
    {
        var answer = Assemble(GatewayOperation.Chat,
            Head + """[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{"content":" wörld \"quoted\""},"logprobs":null,"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop","stop_reason":null}]}""",
            Head + """[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""");

        Assert.Equal("chatcmpl-1", answer.GetProperty("id").GetString());
        Assert.Equal("chat.completion", answer.GetProperty("object").GetString());
        Assert.Equal(1700000000, answer.GetProperty("created").GetInt64());
        Assert.Equal("m", answer.GetProperty("model").GetString());
        Assert.Equal("fp1", answer.GetProperty("system_fingerprint").GetString());
        var choice = Assert.Single(answer.GetProperty("choices").EnumerateArray());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Hello wörld \"quoted\"", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Empty(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(11, answer.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void Chat_SeveralChoices_KeptApartInIndexOrder()
    {
        var answer = Assemble(GatewayOperation.Chat,
            Head + """[{"index":1,"delta":{"role":"assistant","content":"B"},"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{"role":"assistant","content":"A"},"finish_reason":null}]}""",
            Head + """[{"index":1,"delta":{"content":"b"},"finish_reason":"length"}]}""",
            Head + """[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}""");

        var choices = answer.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(["Aa", "Bb"], choices.Select(c => c.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(["stop", "length"], choices.Select(c => c.GetProperty("finish_reason").GetString()));
    }

    [Fact]
    public void Chat_ToolCallArgumentsJoined_ContentNull()
    {
        var answer = Assemble(GatewayOperation.Chat,
            Head + """[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup","arguments":""}}]},"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]},"finish_reason":"tool_calls"}]}""");

        var message = answer.GetProperty("choices")[0].GetProperty("message");
        Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_1", call.GetProperty("id").GetString());
        Assert.Equal("lookup", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Oslo"}""", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public void Chat_LogprobsJoinedInOrder()
    {
        var answer = Assemble(GatewayOperation.Chat,
            Head + """[{"index":0,"delta":{"content":"Hi"},"logprobs":{"content":[{"token":"Hi","logprob":-0.1,"bytes":[72,105],"top_logprobs":[]}]},"finish_reason":null}]}""",
            Head + """[{"index":0,"delta":{"content":"!"},"logprobs":{"content":[{"token":"!","logprob":-0.5,"bytes":[33],"top_logprobs":[]}]},"finish_reason":"stop"}]}""");

        var content = answer.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["Hi", "!"], content.Select(c => c.GetProperty("token").GetString()));
        Assert.Equal([-0.1, -0.5], content.Select(c => c.GetProperty("logprob").GetDouble()));
    }

    [Fact]
    public void TextCompletion_TextAndLogprobArraysJoined()
    {
        const string head = """{"id":"cmpl-1","object":"text_completion","created":1,"model":"m","choices":""";
        var answer = Assemble(GatewayOperation.TextCompletion,
            head + """[{"index":0,"text":"One","logprobs":{"text_offset":[0],"token_logprobs":[-1.0],"tokens":["One"],"top_logprobs":[null]},"finish_reason":null}]}""",
            head + """[{"index":0,"text":" two","logprobs":{"text_offset":[3],"token_logprobs":[-2.0],"tokens":[" two"],"top_logprobs":[null]},"finish_reason":"length"}]}""",
            head + """[],"usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""");

        Assert.Equal("text_completion", answer.GetProperty("object").GetString());
        var choice = answer.GetProperty("choices")[0];
        Assert.Equal("One two", choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(["One", " two"], choice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([0, 3], choice.GetProperty("logprobs").GetProperty("text_offset").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(5, answer.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void UpstreamErrorEvent_Kept_AndAnsweredWithItsStatus()
    {
        var assembler = new CompletionAssembler(GatewayOperation.Chat);
        assembler.Add(Head + """[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}""");
        assembler.Add("""{"error":{"object":"error","message":"KV cache exhausted","type":"InternalServerError","param":null,"code":500}}""");

        var error = Portal.Gateway.Handling.GatewayError.FromUpstream(assembler.Error!.Value);

        Assert.Equal((500, "KV cache exhausted", "InternalServerError"), (error.Status, error.Message, error.Type));
    }
}
