using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Cli.Connection;

/// <summary>
/// Calls to one portal's management API (/api/v1) with a bearer token: from PORTAL_CLIENT_ID/PORTAL_CLIENT_SECRET when
/// set (CI, nothing stored), else the stored login, renewed shortly before it expires.
/// </summary>
public sealed class PortalConnection : IDisposable
{
    private static readonly TimeSpan _renewBefore = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;
    private readonly CliSettings _settings;
    private readonly CredentialStore _store;
    private readonly Guid? _tenant;
    private StoredCredential? _credential;

    public PortalConnection(Uri portal, Guid? tenant, CliSettings settings)
    {
        Portal = portal;
        _tenant = tenant;
        _settings = settings;
        _store = new CredentialStore(settings.ConfigDirectory);
        _http = new HttpClient
        {
            BaseAddress = portal,
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public Uri Portal { get; }

    public TokenClient Tokens => new(_http);

    /// <summary>The portal named by --portal, else PORTAL_URL, else the one last logged in to.</summary>
    public static Uri ResolvePortal(string? option, CliSettings settings)
    {
        var text = option ?? settings.Environment("PORTAL_URL") ?? new CredentialStore(settings.ConfigDirectory).CurrentPortal
            ?? throw new CliUsageException("No portal named: pass --portal URL, set PORTAL_URL, or run portal login --portal URL first.");
        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliUsageException($"'{text}' is not an http(s) URL of a portal.");
        }

        return uri;
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken ct, params (string Name, string? Value)[] query) =>
        SendJsonAsync(HttpMethod.Get, path, null, query, ct);

    public Task<JsonElement> PostAsync(string path, object? body, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Post, path, body, [], ct);

    public Task<JsonElement> PutAsync(string path, object? body, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Put, path, body, [], ct);

    public Task<JsonElement> PatchAsync(string path, object? body, CancellationToken ct) =>
        SendJsonAsync(HttpMethod.Patch, path, body, [], ct);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken ct, params (string Name, string? Value)[] query) =>
        SendJsonAsync(HttpMethod.Delete, path, null, query, ct);

    /// <summary>Copies a download (such as an audit export) to <paramref name="destination"/> as it streams.</summary>
    public async Task DownloadAsync(string path, Stream destination, CancellationToken ct, params (string Name, string? Value)[] query)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, query, HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(destination, ct);
    }

    /// <summary>A text answer line by line as it streams, such as a followed replica log; ends when the portal ends it.</summary>
    public async IAsyncEnumerable<string> ReadLinesAsync(
        string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct, params (string Name, string? Value)[] query)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, query, HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            yield return line;
        }
    }

    /// <summary>A public document of the portal (no token), such as the audit public key.</summary>
    public async Task<string> PublicTextAsync(string path, CancellationToken ct)
    {
        using var response = await _http.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return response.IsSuccessStatusCode ? text : throw new PortalRefusedException(response.StatusCode, null, text);
    }

    private async Task<JsonElement> SendJsonAsync(HttpMethod method, string path, object? body, (string, string?)[] query, CancellationToken ct)
    {
        using var response = await SendAsync(method, path, body, query, HttpCompletionOption.ResponseContentRead, ct);
        if (response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0)
        {
            return default;
        }

        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, (string Name, string? Value)[] query,
        HttpCompletionOption completion, CancellationToken ct)
    {
        var parameters = query.Where(q => q.Value is not null).ToList();
        if (_tenant is { } tenant && !parameters.Any(p => p.Name == "tenantId"))
        {
            parameters.Add(("tenantId", tenant.ToString()));
        }

        var uri = "api/v1/" + path.TrimStart('/')
            + (parameters.Count == 0 ? "" : "?" + string.Join("&", parameters.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}")));

        for (var attempt = 0; ; attempt++)
        {
            var credential = await CredentialAsync(forceRenew: attempt > 0, ct);
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.AccessToken);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, options: Json.Web);
            }

            var response = await _http.SendAsync(request, completion, ct);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            // A token revoked or expired early on the server: renew once, then let the server's answer stand.
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
            {
                response.Dispose();
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                JsonElement? problem = null;
                try
                {
                    problem = string.IsNullOrWhiteSpace(text) ? null : JsonSerializer.Deserialize<JsonElement>(text);
                }
                catch (JsonException)
                {
                }

                throw new PortalRefusedException(response.StatusCode, problem, text);
            }
        }
    }

    private async Task<StoredCredential> CredentialAsync(bool forceRenew, CancellationToken ct)
    {
        if (_credential is null
            && _settings.Environment("PORTAL_CLIENT_ID") is { Length: > 0 } clientId
            && _settings.Environment("PORTAL_CLIENT_SECRET") is { Length: > 0 } secret)
        {
            _credential = await Tokens.ClientCredentialsAsync(clientId, secret, ct);
            return _credential;
        }

        _credential ??= _store.Get(Portal)
            ?? throw new CliUsageException($"Not logged in to {Portal}: run portal login --portal {Portal} (or set PORTAL_CLIENT_ID and PORTAL_CLIENT_SECRET).");
        if (forceRenew || _credential.ExpiresAt - DateTimeOffset.UtcNow < _renewBefore)
        {
            var renewed = await Tokens.RefreshAsync(_credential, ct);
            if (_store.Get(Portal) is not null)
            {
                _store.Save(Portal, renewed);
            }

            _credential = renewed;
        }

        return _credential;
    }

    public void Dispose() => _http.Dispose();
}
