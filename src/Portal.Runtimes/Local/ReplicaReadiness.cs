using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Portal.Runtimes.Local;

/// <summary>
/// How far a running replica's engine is, asked over HTTP as vLLM answers it: nothing on the port yet (Starting),
/// <c>/health</c> 503 (LoadingWeights), <c>/health</c> 200 and <c>/v1/models</c> listing the served model (Ready).
/// </summary>
internal sealed class ReplicaReadiness : IDisposable
{
    private readonly HttpClient _http;

    public ReplicaReadiness(TimeSpan probeTimeout)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = probeTimeout };
    }

    /// <param name="apiKey">The replica's secret, presented on <c>/v1/models</c>; without it a replica that checks one is never Ready.</param>
    public async Task<ReplicaStatus> CheckAsync(ReplicaRecord record, Uri baseUri, string? apiKey, CancellationToken cancellationToken)
    {
        HttpStatusCode health;
        try
        {
            using var response = await _http.GetAsync(new Uri(baseUri, "health"), cancellationToken);
            health = response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new ReplicaStatus(ReplicaState.Starting, $"Process {record.ProcessId} does not answer on port {record.Port} yet.");
        }

        if (health == HttpStatusCode.ServiceUnavailable)
        {
            return new ReplicaStatus(ReplicaState.LoadingWeights, "/health answers 503 while the weights load.");
        }

        if (health != HttpStatusCode.OK)
        {
            return new ReplicaStatus(ReplicaState.Failed, $"/health answered {(int)health}.");
        }

        var models = await ListServedModelsAsync(baseUri, apiKey, cancellationToken);
        return models.Contains(record.ServedModelName, StringComparer.Ordinal)
            ? new ReplicaStatus(ReplicaState.Ready)
            : new ReplicaStatus(ReplicaState.Failed,
                $"/health is 200 but /v1/models lists {(models.Count == 0 ? "nothing" : string.Join(", ", models))}, not {record.ServedModelName}.");
    }

    public void Dispose() => _http.Dispose();

    private async Task<IReadOnlyList<string>> ListServedModelsAsync(Uri baseUri, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "v1/models"));
            if (apiKey is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
                ? data.EnumerateArray()
                    .Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null)
                    .OfType<string>()
                    .ToList()
                : [];
        }
        catch (Exception e) when (e is HttpRequestException or JsonException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return [];
        }
    }
}
