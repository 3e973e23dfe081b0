using System.Net.Http.Json;
using System.Text.Json;
using Portal.Tests.Support;

namespace Portal.Benchmarks.Gateway;

/// <summary>The endpoints and keys the benchmark needs, made through the management API as a program would.</summary>
internal sealed class PortalSetup
{
    public const string PacedEndpoint = "bench-paced";
    public const string FastEndpoint = "bench-fast";

    private readonly Dictionary<(string Role, string Scenario), CreatedKey> _keys = [];

    public IEnumerable<(string Role, string Scenario, Guid Id)> Keys => _keys.Select(k => (k.Key.Role, k.Key.Scenario, k.Value.Id));

    public CreatedKey Key(string role, string scenario) => _keys[(role, scenario)];

    public static async Task<PortalSetup> CreateAsync(Uri portal, Uri upstream, IEnumerable<string> scenarios)
    {
        using var client = new HttpClient { BaseAddress = portal };
        var token = await client.ClientCredentialsTokenAsync(PortalApp.ClientId, PortalApp.ClientSecret);
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        foreach (var (name, model) in new[] { (PacedEndpoint, ShippedGatewayBenchmark.PacedModel), (FastEndpoint, ShippedGatewayBenchmark.FastModel) })
        {
            var created = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
            {
                name,
                target = new { baseUrl = new Uri(upstream, "v1/").ToString(), upstreamModel = model, apiKey = (string?)null, region = "us-east",
                    inputPricePerMillion = 0m, outputPricePerMillion = 0m },
            });
            if (!created.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Creating endpoint {name}: {created.StatusCode} {await created.Content.ReadAsStringAsync()}");
            }
        }

        var setup = new PortalSetup();
        foreach (var role in new[] { "All", "Gateway" })
        {
            foreach (var scenario in scenarios)
            {
                var response = await client.PostAsJsonAsync("api/v1/keys", new { name = $"bench {role} {scenario}" });
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"Creating a key: {response.StatusCode} {body}");
                }

                setup._keys[(role, scenario)] = new CreatedKey(body.GetProperty("key").GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
            }
        }

        return setup;
    }

    /// <summary>A gateway-only process sees new keys and endpoints with its next snapshot refresh (every 2 s).</summary>
    public Task WaitUntilServedAsync(Uri gateway) => WaitUntilServedAsync(gateway, [.. _keys.Where(k => k.Key.Role == "Gateway").Select(k => k.Value)]);

    /// <summary>Until <paramref name="gateway"/> lists the benchmark's endpoints to each of <paramref name="keys"/>.</summary>
    public async Task WaitUntilServedAsync(Uri gateway, params CreatedKey[] keys)
    {
        using var client = new HttpClient { BaseAddress = gateway };
        foreach (var key in keys)
        {
            for (var i = 0; ; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
                request.Headers.Authorization = new("Bearer", key.Secret);
                var models = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
                if (models.Contains(FastEndpoint, StringComparison.Ordinal))
                {
                    break;
                }

                if (i > 100)
                {
                    throw new InvalidOperationException("The gateway-only process never saw the benchmark's keys and endpoints.");
                }

                await Task.Delay(200);
            }
        }
    }
}

internal sealed record CreatedKey(Guid Id, string Secret);
