using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Portal.Gateway.Outbound;

namespace Portal.Health;

public sealed record ProbeOutcome(bool Ok, double? LatencyMs, string? Detail);

public sealed record TtftOutcome(bool Ok, double? TtftMs, string? Detail);

/// <summary>
/// The HTTP probes, straight to a replica or a serverless target (never through the gateway). A serverless target's URL
/// is a tenant's word: it is probed through the guarded client, and its failures are told in plain words, never the
/// socket's text (which would name hosts and ports inside the network).
/// </summary>
public sealed class ProbeClient(IHttpClientFactory httpClients, IOptions<OutboundOptions> outbound)
{
    public const string HttpClientName = "health-probes";

    /// <summary>The guarded client for tenant-given URLs.</summary>
    public const string TenantHttpClientName = "health-probes-tenant";

    /// <summary>Sent with every probe, so an engine or provider log can tell probes from customers.</summary>
    public const string ProbeHeader = "X-Portal-Probe";

    /// <summary>
    /// Liveness: GET /health answers 2xx. vLLM leaves /health open even with <c>--api-key</c>; the replica's key goes
    /// along anyway, so an engine that guards every route is probed the same way.
    /// </summary>
    public async Task<ProbeOutcome> LivenessAsync(Uri baseUri, string? apiKey, TimeSpan timeout, CancellationToken ct) =>
        await TimedAsync(timeout, tenantGiven: false, ct, async token =>
        {
            using var response = await Client(tenantGiven: false).SendAsync(Request(HttpMethod.Get, new Uri(baseUri, "health"), apiKey), token);
            return response.IsSuccessStatusCode ? null : $"/health answered {(int)response.StatusCode}.";
        });

    /// <summary>Readiness: GET v1/models (or the provider's models) lists <paramref name="model"/>.</summary>
    public async Task<ProbeOutcome> ReadinessAsync(Uri modelsUri, string? model, string? apiKey, TimeSpan timeout, CancellationToken ct,
        bool tenantGiven = false) =>
        await TimedAsync(timeout, tenantGiven, ct, async token =>
        {
            using var response = await Client(tenantGiven).SendAsync(Request(HttpMethod.Get, modelsUri, apiKey), token);
            if (!response.IsSuccessStatusCode)
            {
                return $"models answered {(int)response.StatusCode}.";
            }

            var body = await response.Content.ReadFromJsonAsync<JsonElement>(token);
            var listed = body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                && data.EnumerateArray().Any(m => model is null || (m.TryGetProperty("id", out var id) && id.GetString() == model));
            return listed ? null : $"models does not list {model}.";
        });

    /// <summary>A one-token streaming chat request; TTFT is the time until the first streamed line arrives.</summary>
    public async Task<TtftOutcome> TtftAsync(Uri chatUri, string model, string? apiKey, TimeSpan timeout, CancellationToken ct,
        bool tenantGiven = false)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            var request = Request(HttpMethod.Post, chatUri, apiKey);
            request.Content = JsonContent.Create(new
            {
                model,
                messages = new[] { new { role = "user", content = "health probe" } },
                max_tokens = 1,
                stream = true,
            });
            using var response = await Client(tenantGiven).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            if (!response.IsSuccessStatusCode)
            {
                return new TtftOutcome(false, null, $"chat completions answered {(int)response.StatusCode}.");
            }

            var body = await response.Content.ReadAsStreamAsync(cts.Token);
            using var reader = new StreamReader(tenantGiven ? new BoundedReadStream(body, outbound.Value.MaxResponseBytes) : body);
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("data:", StringComparison.Ordinal))
                {
                    return new TtftOutcome(true, watch.Elapsed.TotalMilliseconds, null);
                }
            }

            return new TtftOutcome(false, null, "The stream ended without a token.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new TtftOutcome(false, null, $"No token within {timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            return new TtftOutcome(false, null, Describe(e, tenantGiven));
        }
    }

    private HttpClient Client(bool tenantGiven) => httpClients.CreateClient(tenantGiven ? TenantHttpClientName : HttpClientName);

    private static string Describe(Exception e, bool tenantGiven) =>
        !tenantGiven ? e.Message : e is JsonException ? "models did not answer JSON." : OutboundRefusedException.Describe(e);

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string? apiKey)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add(ProbeHeader, "1");
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return request;
    }

    private static async Task<ProbeOutcome> TimedAsync(
        TimeSpan timeout, bool tenantGiven, CancellationToken ct, Func<CancellationToken, Task<string?>> probe)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var watch = Stopwatch.StartNew();
        try
        {
            var problem = await probe(cts.Token);
            return new ProbeOutcome(problem is null, watch.Elapsed.TotalMilliseconds, problem);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeOutcome(false, null, $"No answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return new ProbeOutcome(false, null, Describe(e, tenantGiven));
        }
    }
}
