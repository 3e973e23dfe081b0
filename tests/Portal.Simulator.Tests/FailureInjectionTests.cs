using System.Net;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

public sealed class FailureInjectionTests
{
    private const int Requests = 400;

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    public async Task Requests_WithAnErrorRate_FailNearThatRateInOpenAiShape(HttpStatusCode status)
    {
        var options = status switch
        {
            HttpStatusCode.InternalServerError => Simulator.Instant with { ErrorRate500 = 0.2 },
            HttpStatusCode.ServiceUnavailable => Simulator.Instant with { ErrorRate503 = 0.2 },
            _ => Simulator.Instant with { ErrorRate429 = 0.2 },
        };
        await using var server = await Simulator.StartAsync(options);
        using var client = Simulator.Client(server);

        var failures = 0;
        for (var i = 0; i < Requests; i++)
        {
            using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 2));
            if (response.StatusCode == status)
            {
                failures++;
                await Simulator.AssertOpenAiErrorAsync(response);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        // 20 % of 400 is 80 with a standard deviation of 8; ±30 is about four sigma.
        Assert.InRange(failures, 50, 110);
    }

    [Fact]
    public async Task Streams_WithADropRate_AreCutMidStreamNearThatRate()
    {
        await using var server = await Simulator.StartAsync(Simulator.Instant with { DropRate = 0.25 });
        using var client = Simulator.Client(server);

        var dropped = 0;
        for (var i = 0; i < Requests; i++)
        {
            var sent = DateTime.UtcNow;
            try
            {
                // The reset can overtake the headers still unread in the socket buffer, so it may surface on send.
                using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 8, stream: true), headersOnly: true);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var events = await Simulator.ReadEventsAsync(response, sent);
                Assert.Equal("[DONE]", events[^1].Data);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                dropped++;
            }
        }

        Assert.InRange(dropped, 65, 135);
    }

    [Fact]
    public async Task Runs_WithTheSameSeed_FailTheSameRequests()
    {
        async Task<string> PatternAsync(SimulatorOptions options)
        {
            await using var server = await Simulator.StartAsync(options);
            using var client = Simulator.Client(server);
            var pattern = new char[40];
            for (var i = 0; i < pattern.Length; i++)
            {
                using var response = await Simulator.PostChatAsync(client, Simulator.ChatBody(maxTokens: 1));
                pattern[i] = response.IsSuccessStatusCode ? '.' : 'x';
            }

            return new string(pattern);
        }

        var options = Simulator.Instant with { ErrorRate500 = 0.3, Seed = 1234 };

        Assert.Equal(await PatternAsync(options), await PatternAsync(options));
        Assert.NotEqual(await PatternAsync(options), await PatternAsync(options with { Seed = 4321 }));
    }
}
