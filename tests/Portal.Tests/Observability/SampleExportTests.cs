using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Core.Latency;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Observability;

/// <summary>
/// Requests through the portal's /v1 to a simulator, then the raw samples export: its rows give back the TTFT
/// percentiles the API reports (within HdrHistogram's precision), CSV carries the same rows, no content field
/// appears, and another tenant's caller gets 404.
/// </summary>
public sealed class SampleExportTests : IAsyncLifetime
{
    private const int Requests = 60;
    private const int Concurrency = 6;

    private readonly PortalApp _app = new();
    private SimulatorServer _simulator = default!;

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
        _simulator = await SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Dedicated8BH100) with
        {
            Port = 0, ServedModelName = "export-upstream", WeightLoadSeconds = 0, TimeScale = 1,
            PrefillOverheadMs = 40, TtftJitter = 0.5, InterTokenLatencyMs = 2, Seed = 5,
        });
        _app.AllowOutbound(_simulator.BaseUri);
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await ((IAsyncLifetime)_app).DisposeAsync();
    }

    [Fact]
    public async Task ExportedRows_GiveBackTheApiPercentiles_CsvHasTheSameRows_NoContent_AndAnotherTenantGets404()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var start = DateTimeOffset.UtcNow.AddSeconds(-5);
        var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name = "export-model",
            target = new
            {
                baseUrl = new Uri(_simulator.BaseUri, "v1/").ToString(), upstreamModel = "export-upstream", apiKey = "vendor-key",
                region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m,
            },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var key = (await (await client.PostAsJsonAsync("api/v1/keys", new { name = "export app" })).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("secret").GetString()!;
        using var openAi = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency * 2 }) { BaseAddress = _app.BaseAddress };
        openAi.DefaultRequestHeaders.Authorization = new("Bearer", key);
        var sent = await WaitRoutableAsync(openAi) + await SendAsync(openAi);
        var ttft = await WaitForCountAsync(client, sent);

        var window = $"from={Uri.EscapeDataString(start.ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(5).ToString("O"))}";
        var jsonl = await client.GetAsync($"api/v1/observability/samples/export?endpointId={endpoint}&{window}&format=jsonl");
        Assert.Equal(HttpStatusCode.OK, jsonl.StatusCode);
        Assert.Equal("application/x-ndjson", jsonl.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("samples-export-model-", jsonl.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await jsonl.Content.ReadAsStringAsync();
        var rows = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(sent, rows.Count);
        var times = rows.Select(r => r.GetProperty("timestamp").GetDateTimeOffset()).ToList();
        Assert.Equal(times.Order().ToList(), times);
        Assert.All(rows, r =>
        {
            Assert.Equal(endpoint, r.GetProperty("endpointId").GetGuid());
            Assert.Equal("production", r.GetProperty("traffic").GetString());
            Assert.Equal("serverless", r.GetProperty("tier").GetString());
            Assert.Equal(200, r.GetProperty("statusCode").GetInt32());
            Assert.True(r.GetProperty("streamed").GetBoolean());
            Assert.True(r.GetProperty("endToEndMs").GetDouble() >= r.GetProperty("ttftMs").GetDouble());
            var names = r.EnumerateObject().Select(p => p.Name).ToList();
            Assert.DoesNotContain(names, n => n is "messages" or "prompt" or "content" or "completion" or "body" or "input" or "choices");
        });
        Assert.DoesNotContain("How long until the first token?", text);
        Assert.DoesNotContain("data:", text);

        var exported = rows.Select(r => r.GetProperty("ttftMs").GetDouble()).ToList();
        foreach (var (name, p) in new[] { ("p50", 50.0), ("p99", 99.0) })
        {
            var exact = ExactPercentiles.Percentile(exported, p)!.Value;
            var reported = ttft.GetProperty("percentiles").GetProperty(name).GetDouble();
            Assert.InRange(reported, exact * 0.99, exact * 1.01);
        }

        var csv = await client.GetAsync($"api/v1/observability/samples/export?endpointId={endpoint}&{window}&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        Assert.Equal(SampleCsvWriter.Columns, header);
        Assert.Equal(rows.Count, lines.Length - 1);
        var ttftColumn = header.IndexOf("ttftMs");
        var timeColumn = header.IndexOf("timestamp");
        for (var i = 0; i < rows.Count; i++)
        {
            var fields = lines[i + 1].Split(',');
            Assert.Equal(exported[i], double.Parse(fields[ttftColumn], CultureInfo.InvariantCulture));
            Assert.Equal(times[i], DateTimeOffset.Parse(fields[timeColumn], CultureInfo.InvariantCulture));
        }

        var page = await client.GetStringAsync("observability?model=export-model&window=1h");
        Assert.Contains("data-testid=\"download-samples\"", page);
        Assert.Contains($"/api/v1/observability/samples/export?tenantId=", page);
        Assert.Contains($"endpointId={endpoint}", page);

        using var admin = _app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var acme = (await admin.GetFromJsonAsync<JsonElement>("api/v1/me")).GetProperty("tenants").EnumerateArray()
            .Single(t => t.GetProperty("name").GetString() == "Acme Research").GetProperty("id").GetString();
        var otherTenant = await admin.GetAsync($"api/v1/observability/samples/export?tenantId={acme}&endpointId={endpoint}&{window}");
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.DoesNotContain("ttftMs", await otherTenant.Content.ReadAsStringAsync());
        var notMember = await client.GetAsync($"api/v1/observability/samples/export?tenantId={acme}&endpointId={endpoint}&{window}");
        Assert.Equal(HttpStatusCode.NotFound, notMember.StatusCode);
    }

    [Fact]
    public async Task BadParameters_Are400_NamingTheField()
    {
        using var client = _app.NewClient();
        await client.SignInAsync("dev@demo.local");
        var endpoint = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        string Q(DateTimeOffset from, DateTimeOffset to) =>
            $"from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";

        await AssertFieldAsync(client, $"api/v1/observability/samples/export?endpointId={endpoint}&{Q(now.AddDays(-40), now)}", "to");
        await AssertFieldAsync(client, $"api/v1/observability/samples/export?endpointId={endpoint}&{Q(now, now.AddHours(-1))}", "from");
        await AssertFieldAsync(client, $"api/v1/observability/samples/export?endpointId={endpoint}&format=xml", "format");
        await AssertFieldAsync(client, "api/v1/observability/samples/export", "endpointId");
        await AssertFieldAsync(client, "api/v1/observability/samples/export?endpointId=not-a-guid", "endpointId");
        await AssertFieldAsync(client, $"api/v1/observability/samples/export?endpointId={endpoint}&from=yesterday", "from");
        var unknown = await client.GetAsync($"api/v1/observability/samples/export?endpointId={endpoint}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    private static async Task AssertFieldAsync(HttpClient client, string url, string field)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Contains(errors.EnumerateObject(), e => string.Equals(e.Name, field, StringComparison.OrdinalIgnoreCase));
    }

    private static HttpRequestMessage Chat()
    {
        var body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new
        {
            model = "export-model", stream = true, max_tokens = 4,
            messages = new[] { new { role = "user", content = "How long until the first token?" } },
        }));
        body.Headers.ContentType = new("application/json");
        return new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = body };
    }

    /// <summary>The routing snapshot picks a new endpoint up within seconds; the first answered request counts as sent.</summary>
    private static async Task<int> WaitRoutableAsync(HttpClient openAi)
    {
        for (var i = 0; i < 50; i++)
        {
            using var response = await openAi.SendAsync(Chat());
            if (response.StatusCode == HttpStatusCode.OK)
            {
                await response.Content.ReadAsStringAsync();
                return 1;
            }

            await Task.Delay(200);
        }

        Assert.Fail("export-model never became routable.");
        return 0;
    }

    private static async Task<int> SendAsync(HttpClient openAi)
    {
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= Requests)
            {
                using var response = await openAi.SendAsync(Chat(), HttpCompletionOption.ResponseHeadersRead);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync());
            }
        })));
        return Requests;
    }

    /// <summary>Samples are written in the background; wait until the window holds every request sent.</summary>
    private static async Task<JsonElement> WaitForCountAsync(HttpClient client, int count)
    {
        JsonElement report = default;
        for (var i = 0; i < 50; i++)
        {
            report = await client.GetFromJsonAsync<JsonElement>("api/v1/observability/ttft?model=export-model&window=1h");
            if (report.GetProperty("count").GetInt64() >= count)
            {
                return report;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{report.GetProperty("count").GetInt64()} of {count} requests measured.");
        return report;
    }
}
