using System.Text.Json;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

/// <summary>The engine output a replica's log shows: vLLM-like lines, and prompts only when request logging is turned on.</summary>
public sealed class EngineLogTests
{
    private const string Marker = "zebra-violet-4471";

    private sealed class Output : StringWriter
    {
        public string Text
        {
            get
            {
                lock (this)
                {
                    return ToString();
                }
            }
        }

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }
        }
    }

    private static string Body() => JsonSerializer.Serialize(new
    {
        model = Simulator.Model,
        messages = new[] { new { role = "user", content = $"The secret plan is {Marker}." } },
        max_tokens = 3,
    });

    private static async Task<string> RunAsync(SimulatorOptions options, Func<string, bool> until)
    {
        var output = new Output();
        await using (var server = await SimulatorServer.StartAsync(options, engineLog: output))
        {
            using var client = Simulator.Client(server);
            using var response = await Simulator.PostChatAsync(client, Body());
            Assert.True(response.IsSuccessStatusCode);
            for (var i = 0; i < 200 && !until(output.Text); i++)
            {
                await Task.Delay(50);
            }
        }

        return output.Text;
    }

    [Fact]
    public async Task ByDefault_TheLogShowsStartupRequestsAndThroughput_ButNeverThePrompt()
    {
        var text = await RunAsync(Simulator.Instant with { LogStatsIntervalSeconds = 0.2 },
            t => t.Contains("Avg prompt throughput", StringComparison.Ordinal));

        Assert.Contains("Starting to load model test-model", text, StringComparison.Ordinal);
        Assert.Contains("Application startup complete.", text, StringComparison.Ordinal);
        Assert.Matches(@"INFO \d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[async_llm\.py\] Added request chatcmpl-[0-9a-f]{16}\.", text);
        Assert.Matches(@"Finished request chatcmpl-[0-9a-f]{16}: \d+ prompt tokens, 3 completion tokens, length\.", text);
        Assert.Matches(@"Avg prompt throughput: [\d.]+ tokens/s, Avg generation throughput: [\d.]+ tokens/s, Running: \d+ reqs, Waiting: \d+ reqs, GPU KV cache usage: [\d.]+%", text);
        Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithRequestLoggingOn_ThePromptIsWritten_LikeVllm()
    {
        var text = await RunAsync(Simulator.Instant with { EnableLogRequests = true }, t => t.Contains("Finished request", StringComparison.Ordinal));

        Assert.Contains(Marker, text, StringComparison.Ordinal);
        Assert.Contains("Received request chatcmpl-", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_ReadsTheRequestLoggingFlag_OffByDefault()
    {
        Assert.False(SimulatorCommandLine.Parse([]).EnableLogRequests);
        Assert.True(SimulatorCommandLine.Parse(["--enable-log-requests"]).EnableLogRequests);
    }
}
