using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Cli.Connection;

namespace Portal.Cli.Tests;

/// <summary>
/// <c>portal ttft</c> and <c>portal signals</c> render the observability API's documented shapes
/// (docs/observability-api.md), served here by a small loopback server until the portal serves them.
/// </summary>
public sealed class ObservabilityCommandsTests : IAsyncLifetime, IDisposable
{
    private const string Ttft = """
        {
          "model": "llama-3-1-8b", "window": "24h", "from": "2026-11-27T10:00:00Z", "to": "2026-11-28T10:00:00Z", "count": 30,
          "percentiles": { "p50": 210.5, "p90": 480.0, "p95": 612.3, "p99": 2400.0, "p999": 7100.0 },
          "histogram": [ { "upperMs": 100.0, "count": 0 }, { "upperMs": 250.0, "count": 20 }, { "upperMs": 500.0, "count": 8 },
                         { "upperMs": 2500.0, "count": 1 }, { "upperMs": null, "count": 1 } ],
          "series": [], "tiers": [], "coldStarts": []
        }
        """;

    private const string Signals = """
        {
          "model": "llama-3-1-8b", "window": "30d", "recommendation": "Move to dedicated: the tail diverges.", "moveToDedicated": true,
          "signals": [
            { "kind": "tailDivergence", "title": "p99/p50 TTFT", "value": 4.2, "threshold": 3.0, "unit": "ratio", "state": "fires", "evidence": "/observability?model=llama-3-1-8b" },
            { "kind": "sustainedVolume", "title": "Sustained volume", "value": null, "threshold": 50000, "unit": "tokens/min", "state": "notEnoughData", "evidence": "" }
          ]
        }
        """;

    private const string SamplesJsonl = """
        {"timestamp":"2026-11-27T10:00:00Z","endpointId":"0f6c2a8e-1d3b-4c5a-9e7f-2b4d6a8c0e1f","ttftMs":210.5}
        {"timestamp":"2026-11-27T10:00:01Z","endpointId":"0f6c2a8e-1d3b-4c5a-9e7f-2b4d6a8c0e1f","ttftMs":480}

        """;

    private const string SamplesCsv = "timestamp,ttftMs\r\n2026-11-27T10:00:00Z,210.5\r\n";

    private static readonly Guid SampleEndpoint = Guid.Parse("0f6c2a8e-1d3b-4c5a-9e7f-2b4d6a8c0e1f");

    private readonly CliRun _cli = new();
    private readonly List<string> _requests = [];
    private WebApplication _server = default!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _server = builder.Build();
        _server.Use(async (context, next) =>
        {
            lock (_requests)
            {
                _requests.Add($"{context.Request.Path}{context.Request.QueryString} {context.Request.Headers.Authorization}");
            }

            await next();
        });
        _server.MapGet("/api/v1/observability/ttft", (string model) => model == "llama-3-1-8b"
            ? Results.Text(Ttft, "application/json")
            : Results.Problem(statusCode: 404, title: "Not found", detail: $"No requests for model '{model}'."));
        _server.MapGet("/api/v1/signals", (string? model) => Results.Text(
            model is null ? $$"""{ "models": [ {{Signals}} ] }""" : Signals, "application/json"));
        _server.MapGet("/api/v1/endpoints", () => Results.Text(
            """[ { "id": "0f6c2a8e-1d3b-4c5a-9e7f-2b4d6a8c0e1f", "name": "llama-3-1-8b" } ]""", "application/json"));
        _server.MapGet("/api/v1/observability/samples/export", (Guid endpointId, string format) => endpointId == SampleEndpoint
            ? Results.Text(format == "csv" ? SamplesCsv : SamplesJsonl, format == "csv" ? "text/csv" : "application/x-ndjson")
            : Results.Problem(statusCode: 404, title: "Not found", detail: "No such endpoint."));
        await _server.StartAsync();
        _url = _server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        new CredentialStore(_cli.Settings.ConfigDirectory).Save(new Uri(_url + "/"), new StoredCredential
        {
            Kind = "device", ClientId = "portal-cli", AccessToken = "token-1", RefreshToken = "refresh-1", ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        });
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Ttft_PrintsPercentilesAndAHistogramScaledToTheFullestBucket()
    {
        var result = await _cli.RunAsync("ttft", "llama-3-1-8b", "--window", "24h", "--tier", "dedicated");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("/api/v1/observability/ttft?model=llama-3-1-8b&window=24h&tier=dedicated Bearer token-1", _requests);
        Assert.Contains("30 requests", result.Output);
        Assert.Contains("p50:   210.5 ms", result.Output);
        Assert.Contains("p99.9: 7100.0 ms", result.Output);
        var lines = result.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("100–250 ms |") && l.Contains(new string('#', 40)) && l.TrimEnd().EndsWith(" 20"));
        Assert.Contains(lines, l => l.Contains("250–500 ms |") && l.Contains(new string('#', 16) + " ") && l.TrimEnd().EndsWith(" 8"));
        Assert.Contains(lines, l => l.Contains("> 2500 ms |") && l.TrimEnd().EndsWith(" 1"));
    }

    [Fact]
    public async Task Ttft_OutputJson_IsTheApisDocument()
    {
        var result = await _cli.RunAsync("ttft", "llama-3-1-8b", "--output", "json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var body = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal(30, body.GetProperty("count").GetInt32());
        Assert.Equal(2400.0, body.GetProperty("percentiles").GetProperty("p99").GetDouble());
    }

    [Fact]
    public async Task Ttft_UnknownModel_PrintsTheProblem_AndExitsOne()
    {
        var result = await _cli.RunAsync("ttft", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Not found (404): No requests for model 'nope'.", result.Error);
    }

    [Fact]
    public async Task Ttft_UnknownWindow_IsAUsageError()
    {
        var result = await _cli.RunAsync("ttft", "llama-3-1-8b", "--window", "2h");

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task Signals_PrintEachSignalsStateAndTheRecommendation()
    {
        var one = await _cli.RunAsync("signals", "llama-3-1-8b");
        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("llama-3-1-8b over 30d: Move to dedicated: the tail diverges.", one.Output);
        Assert.Contains(one.Output.Split('\n'), l => l.StartsWith("p99/p50 TTFT") && l.Contains("4.2") && l.Contains("3") && l.TrimEnd().EndsWith("FIRES"));
        Assert.Contains(one.Output.Split('\n'), l => l.StartsWith("Sustained volume") && l.Contains("50000 tokens/min") && l.TrimEnd().EndsWith("not enough data"));

        var fleet = await _cli.RunAsync("signals", "--output", "json");
        Assert.True(fleet.ExitCode == 0, fleet.ToString());
        Assert.Equal("llama-3-1-8b", JsonDocument.Parse(fleet.Output).RootElement.GetProperty("models")[0].GetProperty("model").GetString());
        Assert.Contains("/api/v1/signals Bearer token-1", _requests);
    }

    [Fact]
    public async Task SamplesExport_ResolvesTheEndpointByName_AndWritesTheStreamToTheFile()
    {
        var result = await _cli.RunAsync("observability", "samples", "export", "--endpoint", "llama-3-1-8b",
            "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-28T00:00:00Z", "-o", _cli.PathOf("samples.jsonl"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(SamplesJsonl, await File.ReadAllTextAsync(_cli.PathOf("samples.jsonl")));
        Assert.Contains(_requests, r => r.StartsWith(
            $"/api/v1/observability/samples/export?endpointId={SampleEndpoint}&format=jsonl&from=2026-11-27T00%3A00%3A00.0000000%2B00%3A00&to=", StringComparison.Ordinal));

        var csv = await _cli.RunAsync("observability", "samples", "export", "--endpoint", SampleEndpoint.ToString(), "--format", "csv", "-o", _cli.PathOf("samples.csv"));
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal(SamplesCsv, await File.ReadAllTextAsync(_cli.PathOf("samples.csv")));
    }

    [Fact]
    public async Task SamplesExport_UnknownEndpoint_IsAUsageError_AndWritesNoFile()
    {
        var result = await _cli.RunAsync("observability", "samples", "export", "--endpoint", "nope", "-o", _cli.PathOf("none.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No endpoint named 'nope'", result.Error);
        Assert.False(File.Exists(_cli.PathOf("none.jsonl")));
    }
}
