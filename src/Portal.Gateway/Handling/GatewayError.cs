using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Portal.Core.Gateway;
using Portal.Core.Keys;

namespace Portal.Gateway.Handling;

/// <summary>An error answered in OpenAI's shape, <c>{"error":{"message","type","param","code"}}</c>, with OpenAI's status codes.</summary>
internal sealed record GatewayError(int Status, string Message, string Type, string? Code, string? Param = null, int? RetryAfterSeconds = null)
{
    private const string InvalidRequest = "invalid_request_error";

    public static GatewayError MissingKey { get; } = new(401,
        "You didn't provide an API key. Send your inference key in an Authorization header: Authorization: Bearer pk_…",
        InvalidRequest, "missing_api_key");

    public static GatewayError MalformedKey { get; } = new(401,
        "Incorrect API key provided: it is not a well-formed inference key (pk_…). Check that it was copied whole.",
        InvalidRequest, "invalid_api_key");

    public static GatewayError UnknownKey { get; } = new(401,
        "Incorrect API key provided. You can find your inference keys in the portal under API keys.", InvalidRequest, "invalid_api_key");

    public static GatewayError RevokedKey { get; } = new(401, "This API key has been revoked.", InvalidRequest, "invalid_api_key");

    public static GatewayError ExpiredKey { get; } = new(401, "This API key has expired.", InvalidRequest, "invalid_api_key");

    public static GatewayError TenantSuspended { get; } = new(403,
        "This API key's tenant is suspended: its keys are refused until a platform operator resumes it.", InvalidRequest, "tenant_suspended");

    public static GatewayError InvalidJson { get; } = new(400,
        "We could not parse the JSON body of your request. The body must be valid JSON.", InvalidRequest, "invalid_json");

    public static GatewayError NotAnObject { get; } = new(400, "The request body must be a JSON object.", InvalidRequest, "invalid_json");

    public static GatewayError MissingModel { get; } = new(400, "you must provide a model parameter", InvalidRequest, null, "model");

    public static GatewayError StreamNotBoolean { get; } = new(400, "stream must be a boolean.", InvalidRequest, null, "stream");

    public static GatewayError ConcurrencyLimited { get; } = new(429,
        "Too many concurrent requests for this API key. Wait for a request to finish and retry.",
        "rate_limit_error", "rate_limit_exceeded", RetryAfterSeconds: 1);

    public static GatewayError UpstreamUnavailable { get; } = new(502,
        "The model's serving capacity could not be reached. Retry the request.", "server_error", "upstream_unavailable");

    /// <summary>The target's address is one the portal does not call on a tenant's word (loopback, private, its own...).</summary>
    public static GatewayError UpstreamRefused { get; } = new(502,
        "The model's target was refused: address not allowed for outbound calls.", "server_error", "upstream_refused");

    public static GatewayError UpstreamTimeout { get; } = new(504,
        "The model's serving capacity did not answer in time.", "server_error", "upstream_timeout");

    /// <summary>A stream the gateway was assembling into a non-streamed answer broke or was not what it claimed.</summary>
    public static GatewayError UpstreamBadStream { get; } = new(502,
        "The model's serving capacity failed while generating the response. Retry the request.", "server_error", "upstream_stream_error");

    /// <summary>
    /// The upstream's own error event from inside a stream, answered as the upstream would have answered a non-streamed
    /// request: its message and type, its status when it gave one (vLLM puts it in <c>code</c>), else 502.
    /// </summary>
    public static GatewayError FromUpstream(JsonElement error)
    {
        string? Text(string name) =>
            error.ValueKind == JsonValueKind.Object && error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;

        var status = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code)
            && code.TryGetInt32(out var number) && number is >= 400 and <= 599 ? number : 502;
        return new GatewayError(status, Text("message") ?? "The model's serving capacity reported an error.",
            Text("type") ?? "server_error", Text("code") ?? "upstream_error", Text("param"));
    }

    public static GatewayError BodyTooLarge(int maxBytes) => new(413,
        $"The request body is larger than {maxBytes} bytes.", InvalidRequest, "request_too_large");

    public static GatewayError MissingScope(GatewayOperation operation) => new(403,
        $"This API key may not call {operation.UpstreamPath()}: it lacks the '{ScopeName(operation)}' scope.",
        InvalidRequest, "insufficient_scope");

    public static GatewayError ModelNotFound(string model) => new(404,
        $"The model `{model}` does not exist or you do not have access to it.", InvalidRequest, "model_not_found", "model");

    public static GatewayError RateLimited(TimeSpan retryAfter) => new(429,
        "Rate limit reached for requests per minute on this API key.", "rate_limit_error", "rate_limit_exceeded",
        RetryAfterSeconds: Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)));

    public static GatewayError UpstreamQueueFull { get; } = new(429,
        "The model's serving capacity is at its queue limit. Retry shortly.", "rate_limit_error", "upstream_queue_full", RetryAfterSeconds: 1);

    public static GatewayError QueueFull(int retryAfterSeconds) => new(429,
        "Every replica of this model is at its queue limit. Retry after the indicated delay.", "rate_limit_error", "queue_full",
        RetryAfterSeconds: retryAfterSeconds);

    public static GatewayError NoCapacity(int retryAfterSeconds) => new(503,
        "No serving capacity is available for this model in its allowed regions. Retry later.",
        "server_error", "no_capacity", RetryAfterSeconds: retryAfterSeconds);

    /// <summary>Writes the error unless the response has started (then only aborting could tell the client).</summary>
    public async Task WriteAsync(HttpResponse response)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = Status;
        response.ContentType = "application/json";
        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartObject("error");
        json.WriteString("message", Message);
        json.WriteString("type", Type);
        json.WriteString("param", Param);
        json.WriteString("code", Code);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string ScopeName(GatewayOperation operation) => InferenceKeyScopeNames.NameOf(RequiredScope(operation));

    public static InferenceKeyScopes RequiredScope(GatewayOperation operation) => operation switch
    {
        GatewayOperation.Chat => InferenceKeyScopes.Chat,
        GatewayOperation.TextCompletion => InferenceKeyScopes.Completions,
        GatewayOperation.Embeddings => InferenceKeyScopes.Embeddings,
        _ => InferenceKeyScopes.Models,
    };
}
