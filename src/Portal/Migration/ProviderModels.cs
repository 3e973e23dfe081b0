using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Portal.Data.Entities;
using Portal.Inference;

namespace Portal.Migration;

/// <summary>
/// A serverless provider's own model list (<c>GET {baseUrl}/models</c> with the target's key), read through the guarded
/// client for tenant-given URLs. The provider's list, not the portal's catalog, says what the provider serves: the
/// catalog lists what the portal can deploy. A list that cannot be read is null, and nothing is concluded from it.
/// </summary>
public sealed class ProviderModels(IHttpClientFactory httpFactory, IDataProtectionProvider protection, ILogger<ProviderModels> logger)
{
    public const string HttpClientName = nameof(ProviderModels);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlySet<string>?> ListAsync(Target target, CancellationToken ct)
    {
        if (!Uri.TryCreate(target.BaseUrl?.TrimEnd('/') + "/", UriKind.Absolute, out var baseUri))
        {
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUri, "models"));
            if (target.ProtectedApiKey is { } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                    protection.CreateProtector(ServerlessKeyProtection.Purpose).Unprotect(key));
            }

            using var response = await httpFactory.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            response.EnsureSuccessStatusCode();
            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
            if (!body.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return data.EnumerateArray()
                .Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
                .OfType<string>()
                .ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogDebug("No model list from {BaseUrl}: {Reason}", baseUri, e.Message);
            return null;
        }
    }
}
