using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Portal.Data.Entities;
using Portal.Inference;

namespace Portal.Migration;

/// <summary>
/// A serverless provider's own model list (<c>GET {baseUrl}/models</c> with the target's key), read through the guarded
/// client for tenant-given URLs. The provider's list, not the portal's catalog, says what the provider serves: the
/// catalog lists what the portal can deploy. A list that cannot be read is null, and nothing is concluded from it.
/// Each target's answer is kept for <see cref="Kept"/> (a failure for <see cref="FailureKept"/>), so the fleet page and
/// repeated reads of the signals do not ask every provider again, nor wait again on one that does not answer.
/// </summary>
public sealed class ProviderModels(IHttpClientFactory httpFactory, IDataProtectionProvider protection, IMemoryCache cache, ILogger<ProviderModels> logger)
{
    public const string HttpClientName = nameof(ProviderModels);

    public static readonly TimeSpan Kept = TimeSpan.FromMinutes(5);

    public static readonly TimeSpan FailureKept = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlySet<string>?> ListAsync(Target target, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        // The target's own address and key are part of the key: a changed URL or key is asked again at once.
        var key = (nameof(ProviderModels), target.Id, target.BaseUrl, target.ProtectedApiKey);
        if (cache.TryGetValue(key, out IReadOnlySet<string>? kept))
        {
            return kept;
        }

        var list = await ReadAsync(target, ct);
        cache.Set(key, list, list is null ? FailureKept : Kept);
        return list;
    }

    private async Task<IReadOnlySet<string>?> ReadAsync(Target target, CancellationToken ct)
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
