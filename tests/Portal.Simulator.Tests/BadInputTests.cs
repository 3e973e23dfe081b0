using System.Net;
using System.Text;

namespace Portal.Simulator.Tests;

public sealed class BadInputTests
{
    public static TheoryData<string, string, string, HttpStatusCode, string?> Cases => new()
    {
        { "v1/chat/completions", "application/json", "{\"model\":", HttpStatusCode.BadRequest, null },
        { "v1/chat/completions", "application/json", "[1,2]", HttpStatusCode.BadRequest, null },
        { "v1/chat/completions", "text/plain", Simulator.ChatBody(), HttpStatusCode.BadRequest, null },
        { "v1/chat/completions", "application/json", "{\"model\":\"test-model\"}", HttpStatusCode.BadRequest, "messages" },
        { "v1/chat/completions", "application/json", "{\"model\":\"test-model\",\"messages\":[]}", HttpStatusCode.BadRequest, "messages" },
        { "v1/chat/completions", "application/json", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", HttpStatusCode.BadRequest, "model" },
        { "v1/chat/completions", "application/json", "{\"model\":\"test-model\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", HttpStatusCode.BadRequest, "messages[0].role" },
        { "v1/chat/completions", "application/json", Simulator.ChatBody(model: "gpt-unknown"), HttpStatusCode.NotFound, "model" },
        { "v1/chat/completions", "application/json", Simulator.ChatBody(maxTokens: -1), HttpStatusCode.BadRequest, "max_tokens" },
        { "v1/chat/completions", "application/json", Simulator.ChatBody(maxTokens: 0), HttpStatusCode.BadRequest, "max_tokens" },
        { "v1/chat/completions", "application/json", Simulator.ChatBody(maxTokens: 1_000_000_000), HttpStatusCode.BadRequest, "max_tokens" },
        { "v1/chat/completions", "application/json", "{\"model\":\"test-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":\"ten\"}", HttpStatusCode.BadRequest, "max_completion_tokens" },
        { "v1/completions", "application/json", "{\"model\":\"test-model\"}", HttpStatusCode.BadRequest, "prompt" },
        { "v1/completions", "application/json", "{\"model\":\"test-model\",\"prompt\":\"hi\",\"max_tokens\":2.5}", HttpStatusCode.BadRequest, "max_tokens" },
        { "v1/completions", "application/json", "{\"model\":\"other\",\"prompt\":\"hi\"}", HttpStatusCode.NotFound, "model" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadRequest_IsRefusedWithStatusAndOpenAiErrorShape(
        string path, string contentType, string body, HttpStatusCode status, string? param)
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { MaxModelLen = 4096 });
        using var client = Simulator.Client(server);

        using var response = await client.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(status, response.StatusCode);
        var error = await Simulator.AssertOpenAiErrorAsync(response);
        Assert.Equal(param, error.GetProperty("param").GetString());
        if (status == HttpStatusCode.NotFound)
        {
            Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        }
    }
}
