using System.Net.Http.Json;
using System.Text.Json;

namespace Portal.Cli.Connection;

/// <summary>The portal's OpenIddict token endpoints: client credentials, refresh, and the device authorization grant.</summary>
public sealed class TokenClient(HttpClient http)
{
    /// <summary>The public client the command line signs people in with (device authorization grant).</summary>
    public const string CliClientId = "portal-cli";

    public const string ApiScope = "portal_api";

    public const string DeviceCodeGrant = "urn:ietf:params:oauth:grant-type:device_code";

    public async Task<StoredCredential> ClientCredentialsAsync(string clientId, string clientSecret, CancellationToken ct)
    {
        var body = await PostAsync("connect/token", new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["scope"] = ApiScope,
        }, ct);
        return Credential(body, "client", clientId, clientSecret, previousRefreshToken: null);
    }

    public async Task<StoredCredential> RefreshAsync(StoredCredential credential, CancellationToken ct)
    {
        if (credential.Kind == "client" && credential.ClientSecret is { } secret)
        {
            return await ClientCredentialsAsync(credential.ClientId, secret, ct);
        }

        if (credential.RefreshToken is not { } refreshToken)
        {
            throw new CliUsageException("The stored sign-in has expired and cannot be renewed. Run portal login again.");
        }

        var body = await PostAsync("connect/token", new()
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = credential.ClientId,
            ["refresh_token"] = refreshToken,
        }, ct);
        return Credential(body, credential.Kind, credential.ClientId, null, refreshToken);
    }

    public sealed record DeviceAuthorization(string DeviceCode, string UserCode, string VerificationUri, string? VerificationUriComplete,
        TimeSpan ExpiresIn, TimeSpan Interval);

    public async Task<DeviceAuthorization> StartDeviceAuthorizationAsync(CancellationToken ct)
    {
        var body = await PostAsync("connect/device", new()
        {
            ["client_id"] = CliClientId,
            ["scope"] = $"{ApiScope} offline_access",
        }, ct);
        return new DeviceAuthorization(
            body.GetProperty("device_code").GetString()!,
            body.GetProperty("user_code").GetString()!,
            body.GetProperty("verification_uri").GetString()!,
            body.TryGetProperty("verification_uri_complete", out var complete) ? complete.GetString() : null,
            TimeSpan.FromSeconds(body.GetProperty("expires_in").GetInt32()),
            TimeSpan.FromSeconds(body.TryGetProperty("interval", out var interval) ? interval.GetInt32() : 5));
    }

    /// <summary>Polls the token endpoint until the person approves (tokens), denies or lets the code expire (refused).</summary>
    public async Task<StoredCredential> WaitForDeviceApprovalAsync(DeviceAuthorization authorization, TimeSpan? pollInterval, CancellationToken ct)
    {
        var interval = pollInterval ?? authorization.Interval;
        var deadline = DateTimeOffset.UtcNow + authorization.ExpiresIn;
        while (true)
        {
            await Task.Delay(interval, ct);
            using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = DeviceCodeGrant,
                ["client_id"] = CliClientId,
                ["device_code"] = authorization.DeviceCode,
            }), ct);
            var body = await ReadJsonAsync(response, ct);
            if (response.IsSuccessStatusCode && body is { } tokens)
            {
                return Credential(tokens, "device", CliClientId, null, null);
            }

            var error = body is { } problem && problem.TryGetProperty("error", out var code) ? code.GetString() : null;
            if (error == "slow_down")
            {
                interval += TimeSpan.FromSeconds(5);
            }
            else if (error != "authorization_pending" || DateTimeOffset.UtcNow > deadline)
            {
                throw new PortalRefusedException(response.StatusCode, body, "");
            }
        }
    }

    private async Task<JsonElement> PostAsync(string path, Dictionary<string, string> form, CancellationToken ct)
    {
        using var response = await http.PostAsync(path, new FormUrlEncodedContent(form), ct);
        var body = await ReadJsonAsync(response, ct);
        if (!response.IsSuccessStatusCode || body is null)
        {
            throw new PortalRefusedException(response.StatusCode, body, await response.Content.ReadAsStringAsync(ct));
        }

        return body.Value;
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    private static StoredCredential Credential(JsonElement body, string kind, string clientId, string? secret, string? previousRefreshToken) => new()
    {
        Kind = kind,
        ClientId = clientId,
        ClientSecret = secret,
        AccessToken = body.GetProperty("access_token").GetString()!,
        RefreshToken = body.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : previousRefreshToken,
        ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(body.TryGetProperty("expires_in", out var expires) ? expires.GetInt32() : 300),
    };
}
