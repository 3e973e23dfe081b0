using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portal.Tests.Support;
using Portal.Tests.Support.Load;
using Xunit.Abstractions;

namespace Portal.Tests.Inference;

/// <summary>
/// A burst of streamed requests through the real portal (its HTTP server on a loopback port, its SQLite sink), from an
/// open-loop load generator: nothing fails, every request's sample is in the database after a graceful stop, and the
/// portal's TTFT agrees with the time to first content the client itself saw. That last check is not a speed judgement:
/// it asks whether both sides measure the same thing (the portal's clock starts when it receives the request, the
/// client's when it sends it), so it allows 5 ms or 10 %, whichever is larger.
/// </summary>
[Collection(MeasuresLatencyCollection.Name)]
public sealed class GatewayBurstTests(ITestOutputHelper output)
{
    private const int Rate = 200;
    private const int Requests = 2_000;

    [Fact]
    public async Task BurstOf2000StreamsAt200PerSecond_NoneFails_EverySampleIsStored_AndTtftAgreesWithTheClient()
    {
        await using var upstream = await StreamingUpstream.StartAsync(TimeSpan.FromMilliseconds(5));
        var portal = new PortalApp { KeepOnDispose = true };
        portal.AllowOutbound(upstream.BaseUri);
        await ((IAsyncLifetime)portal).InitializeAsync();
        var dataDirectory = portal.DataDirectory;
        var stopped = false;
        try
        {
            var key = await CreateEndpointAndKeyAsync(portal, upstream);

            StreamResult[] results;
            using (var load = new StreamingLoad(new Uri(portal.BaseAddress, "v1/"), key.Secret, "burst"))
            {
                results = await load.OpenLoopAsync(Rate, Requests);
            }

            // A graceful stop: the web server stops first, then the sample writer drains its queue into the database.
            await ((IAsyncLifetime)portal).DisposeAsync();
            stopped = true;

            var failures = results.Where(r => !r.Ok).GroupBy(r => r.Failure).Select(g => $"{g.Key} × {g.Count()}").ToList();
            Assert.True(failures.Count == 0, "failed requests: " + string.Join(", ", failures));
            var stored = await StoredTtftsAsync(dataDirectory, key.Id);
            Assert.Equal(Requests, stored.Count);
            Assert.All(stored, ttft => Assert.NotNull(ttft));

            var portalP50 = StreamingLoad.Percentile(stored.Select(t => t!.Value), 0.5);
            var clientP50 = StreamingLoad.Percentile(results.Select(r => r.FromSendMs), 0.5);
            var allowed = Math.Max(5, 0.1 * clientP50);
            output.WriteLine($"portal TTFT p50 {portalP50:0.00} ms; client time to first content p50 {clientP50:0.00} ms (from schedule {StreamingLoad.Percentile(results.Select(r => r.FromScheduleMs), 0.5):0.00} ms)");
            Assert.True(Math.Abs(portalP50 - clientP50) <= allowed,
                $"portal TTFT p50 {portalP50:0.00} ms, client time to first content p50 {clientP50:0.00} ms: more than {allowed:0.00} ms apart");
        }
        finally
        {
            if (!stopped)
            {
                await ((IAsyncLifetime)portal).DisposeAsync();
            }

            SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    /// <summary>A serverless endpoint on the upstream and a key, through the management API; waits until /v1 serves it.</summary>
    private static async Task<(Guid Id, string Secret)> CreateEndpointAndKeyAsync(PortalApp portal, StreamingUpstream upstream)
    {
        using var client = portal.NewClient();
        await client.SignInAsync("dev@demo.local");
        var endpoint = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name = "burst",
            target = new { baseUrl = new Uri(upstream.BaseUri, "v1/").ToString(), upstreamModel = "paced", region = "us-east",
                inputPricePerMillion = 0m, outputPricePerMillion = 0m },
        });
        Assert.True(endpoint.IsSuccessStatusCode, await endpoint.Content.ReadAsStringAsync());
        var created = await (await client.PostAsJsonAsync("api/v1/keys", new { name = "burst" })).Content.ReadFromJsonAsync<JsonElement>();
        var key = (created.GetProperty("key").GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);

        for (var attempt = 0; ; attempt++)
        {
            var models = await client.GetWithTokenAsync("v1/models", key.Item2);
            if ((await models.Content.ReadAsStringAsync()).Contains("\"burst\"", StringComparison.Ordinal))
            {
                return key;
            }

            Assert.True(attempt < 50, "the gateway never served the new endpoint");
            await Task.Delay(100);
        }
    }

    private static async Task<List<double?>> StoredTtftsAsync(string dataDirectory, Guid keyId)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "portal.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT TtftMs FROM RequestSamples WHERE upper(KeyId) = $key";
        command.Parameters.AddWithValue("$key", keyId.ToString().ToUpper(CultureInfo.InvariantCulture));
        var ttfts = new List<double?>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ttfts.Add(reader.IsDBNull(0) ? null : reader.GetDouble(0));
        }

        return ttfts;
    }
}
