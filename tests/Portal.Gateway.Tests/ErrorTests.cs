using System.Net;
using Portal.Core.Gateway;
using Portal.Core.Keys;
using Portal.Gateway.Tests.Support;

namespace Portal.Gateway.Tests;

/// <summary>Every refusal comes in OpenAI's error shape with OpenAI's status code.</summary>
public sealed class ErrorTests : IAsyncLifetime
{
    private const string Model = "acme/chat";
    private Simulator.SimulatorServer _simulator = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _simulator = await Simulators.StartAsync();
        _gateway = await TestGateway.StartAsync();
        _gateway.AddDedicatedEndpoint(Model, _simulator);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task BadChecksum_401_WithoutDirectoryLookup()
    {
        var key = InferenceKey.Generate().Plaintext;
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        using var client = _gateway.Client(tampered);

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(0, _gateway.Directory.KeyLookups);
    }

    [Fact]
    public async Task NotAnInferenceKey_401_WithoutDirectoryLookup()
    {
        using var client = _gateway.Client("sk-proj-0123456789abcdef");

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(0, _gateway.Directory.KeyLookups);
    }

    [Fact]
    public async Task MissingAuthorization_401()
    {
        using var client = _gateway.Client();
        client.DefaultRequestHeaders.Authorization = null;

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "missing_api_key");
    }

    [Fact]
    public async Task WellFormedUnknownKey_401_AfterOneLookup()
    {
        using var client = _gateway.Client(InferenceKey.Generate().Plaintext);

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(1, _gateway.Directory.KeyLookups);
    }

    [Fact]
    public async Task RevokedKey_401_OnTheNextRequest()
    {
        var key = _gateway.Directory.AddKey(_gateway.TenantId);
        using var client = _gateway.Client(key);
        using (var before = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model)))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        _gateway.Directory.Update(key, k => k with { RevokedAt = DateTimeOffset.UtcNow });
        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        var error = await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Contains("revoked", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ExpiredKey_401()
    {
        var key = _gateway.Directory.AddKey(_gateway.TenantId, adjust: k => k with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1) });
        using var client = _gateway.Client(key);

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        var error = await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Contains("expired", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task KeyWithoutChatScope_403_AndSampled()
    {
        var key = _gateway.Directory.AddKey(_gateway.TenantId, InferenceKeyScopes.Embeddings | InferenceKeyScopes.Models);
        using var client = _gateway.Client(key);

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        var sample = Assert.Single(await _gateway.Sink.WaitForAsync(1));
        Assert.Equal(403, sample.StatusCode);
        Assert.Equal(_gateway.Directory.KeyFor(key).Id, sample.KeyId);
    }

    [Fact]
    public async Task KeyWithoutModelsScope_403OnModels()
    {
        var key = _gateway.Directory.AddKey(_gateway.TenantId, InferenceKeyScopes.Chat);
        using var client = _gateway.Client(key);

        using var response = await client.GetAsync("models");

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task UnknownModel_404_ModelNotFound()
    {
        using var client = _gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody("acme/unknown"));

        var error = await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.NotFound, "model_not_found");
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task AnotherTenantsModel_404()
    {
        var otherKey = _gateway.Directory.AddKey(Guid.NewGuid());
        using var client = _gateway.Client(otherKey);

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.NotFound, "model_not_found");
    }

    [Fact]
    public async Task OverRequestsPerMinute_429_WithRetryAfter()
    {
        var key = _gateway.Directory.AddKey(_gateway.TenantId, adjust: k => k with { RequestsPerMinute = 3 });
        using var client = _gateway.Client(key);
        for (var i = 0; i < 3; i++)
        {
            using var ok = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20);
    }

    [Fact]
    public async Task OverConcurrentRequests_429_AndSlotFreedAfterwards()
    {
        await using var slow = await Simulators.StartAsync(Simulators.Instant with { PrefillOverheadMs = 1000 });
        _gateway.AddDedicatedEndpoint("acme/slow", slow);
        var key = _gateway.Directory.AddKey(_gateway.TenantId, adjust: k => k with { MaxConcurrentRequests = 1 });
        using var client = _gateway.Client(key);

        var first = Simulators.PostChatAsync(client, Simulators.ChatBody("acme/slow"));
        await Task.Delay(300);
        using (var second = await Simulators.PostChatAsync(client, Simulators.ChatBody("acme/slow")))
        {
            await Simulators.AssertOpenAiErrorAsync(second, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.NotNull(second.Headers.RetryAfter);
        }

        using (var firstResponse = await first)
        {
            Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        }

        using var third = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task NoReadyReplica_503_WithRetryAfter()
    {
        _gateway.AddDedicatedEndpoint("acme/idle",
            [TestGateway.Replica(_simulator, "warming", state: ReplicaRouteState.Unavailable)]);
        using var client = _gateway.Client();

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody("acme/idle"));

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.ServiceUnavailable, "no_capacity");
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Theory]
    [InlineData("{\"model\": \"acme/chat\", \"messages\": [")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{\"model\":\"acme/chat\"} trailing")]
    public async Task MalformedJson_400(string body)
    {
        using var client = _gateway.Client();

        using var response = await Simulators.PostChatAsync(client, body);

        await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest, "invalid_json");
    }

    [Fact]
    public async Task BodyWithoutModel_400_ParamModel()
    {
        using var client = _gateway.Client();

        using var response = await Simulators.PostChatAsync(client, "{\"messages\":[]}");

        var error = await Simulators.AssertOpenAiErrorAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("model", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task ErrorResponses_NeverEchoTheKey()
    {
        var key = InferenceKey.Generate().Plaintext;
        using var client = _gateway.Client(key[..^2] + "zz");

        using var response = await Simulators.PostChatAsync(client, Simulators.ChatBody(Model));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain(key[3..20], await response.Content.ReadAsStringAsync());
    }
}
