using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Portal.Core.Gateway;
using Portal.Core.Keys;
using Portal.Gateway.Forwarding;
using Portal.Gateway.Limits;
using Portal.Gateway.Samples;
using Portal.Gateway.Seams;
using Portal.Gateway.Shadow;
using Portal.Gateway.Telemetry;

namespace Portal.Gateway.Handling;

/// <summary>
/// One OpenAI-compatible request, start to end: key, scope, limits, body, endpoint, shadow copy, forwarding, sample.
/// The body is read once into memory, used and dropped; it is never logged or stored.
/// </summary>
internal sealed class GatewayHandler(
    IGatewayDirectory directory, KeyLimiter limiter, UpstreamForwarder forwarder, ShadowCopier shadow,
    SampleQueue samples, GatewayTelemetry telemetry, IOptions<GatewayOptions> options, TimeProvider time)
{
    private readonly GatewayOptions _options = options.Value;

    public async Task HandleAsync(HttpContext context, GatewayOperation operation)
    {
        var received = Stopwatch.GetTimestamp();
        var receivedAt = time.GetUtcNow();
        using var activity = GatewayTelemetry.ActivitySource.StartActivity(operation.TelemetryName(), ActivityKind.Client);
        if (activity is null)
        {
            // Nothing traces the gateway. ASP.NET Core still starts a server activity for every request while any logging
            // is on; left current, HttpClient would start a child activity for each upstream call and write a traceparent
            // header from it, costing allocations per request for a trace nobody records. (Only this request's async
            // flow is affected; the server activity itself is stopped by the host as usual.)
            Activity.Current = null;
        }
        else
        {
            activity.SetTag("gen_ai.operation.name", operation.TelemetryName());
        }

        var (key, authError) = await AuthenticateAsync(context, operation, receivedAt);
        if (key is null)
        {
            return;
        }

        var request = new Request(key, operation, receivedAt, received, activity);
        if (authError is not null)
        {
            await RejectAsync(context, request, authError);
            return;
        }

        using var lease = limiter.TryEnter(key, out var limitError);
        if (limitError is not null)
        {
            await RejectAsync(context, request, limitError);
            return;
        }

        var (body, bodyError) = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBodyBytes, context.RequestAborted);
        var (fields, parseError) = body is null ? (null, bodyError) : RequestBody.Parse(body);
        if (fields is not { } parsed)
        {
            await RejectAsync(context, request, parseError!);
            return;
        }

        request.Model = parsed.Model;
        if (activity is not null)
        {
            activity.DisplayName = $"{operation.TelemetryName()} {parsed.Model}";
            activity.SetTag("gen_ai.request.model", parsed.Model);
        }

        var endpoint = await directory.FindEndpointAsync(key.TenantId, parsed.Model, context.RequestAborted);

        // A dry run's key reaches only that dry run's endpoints, and no other key reaches them: replayed traffic never
        // lands on production replicas, and production traffic never lands on a replay.
        if (endpoint is null || endpoint.DryRunId != key.DryRunId)
        {
            await RejectAsync(context, request, GatewayError.ModelNotFound(parsed.Model));
            return;
        }

        request.Endpoint = endpoint;
        shadow.TryCopy(endpoint, key, operation, body!, parsed);

        // Every generation is streamed upstream so its first token can be timed; a client that asked for a whole answer
        // gets the stream assembled. Usage is measured on every stream; when a streaming client did not ask for it,
        // the extra chunk is hidden again.
        var assemble = !parsed.Stream && operation.Generates();
        var addUsage = (parsed.Stream || assemble) && !parsed.IncludeUsage && operation.Generates();
        var upstreamBody = RequestBody.Rewrite(body!, parsed, endpoint.Primary.UpstreamModel, addUsage, forceStream: assemble);
        using var meter = new ResponseMeter(operation, stripUsageChunk: addUsage && !assemble);
        var result = await forwarder.ForwardAsync(context, endpoint, operation, upstreamBody, meter, assemble);
        Publish(context, request, result, meter);
    }

    public async Task ListModelsAsync(HttpContext context)
    {
        var (key, error) = await AuthenticateAsync(context, GatewayOperation.Models, time.GetUtcNow());
        if (key is null)
        {
            return;
        }

        if (error is not null)
        {
            telemetry.Rejected(error.Code ?? "error");
            await error.WriteAsync(context.Response);
            return;
        }

        var endpoints = await directory.ListEndpointsAsync(key.TenantId, context.RequestAborted);
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteString("object", "list");
        json.WriteStartArray("data");
        foreach (var endpoint in endpoints)
        {
            json.WriteStartObject();
            json.WriteString("id", endpoint.Model);
            json.WriteString("object", "model");
            json.WriteNumber("created", endpoint.CreatedAt.ToUnixTimeSeconds());
            json.WriteString("owned_by", "portal");
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// The key, or null after answering 401 (or 403 for a suspended tenant's key). A bad checksum is refused here, before the directory is asked.
    /// A known key without the operation's scope comes back with the 403 to answer.
    /// </summary>
    private async ValueTask<(GatewayKey? Key, GatewayError? Error)> AuthenticateAsync(
        HttpContext context, GatewayOperation operation, DateTimeOffset now)
    {
        GatewayError error;
        var header = context.Request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            error = GatewayError.MissingKey;
        }
        else if (!InferenceKey.TryParse(value.AsSpan(7).Trim(), out var parsed))
        {
            error = GatewayError.MalformedKey;
        }
        else
        {
            var key = await directory.FindKeyAsync(parsed.Value.Hash, context.RequestAborted);
            if (key is not null && key.RevokedAt is null && !(key.ExpiresAt <= now) && !key.TenantSuspended)
            {
                var required = GatewayError.RequiredScope(operation);
                return (key, (key.Scopes & required) == required ? null : GatewayError.MissingScope(operation));
            }

            error = key is null ? GatewayError.UnknownKey
                : key.RevokedAt is not null ? GatewayError.RevokedKey
                : key.ExpiresAt <= now ? GatewayError.ExpiredKey
                : GatewayError.TenantSuspended;
        }

        telemetry.Rejected(error.Code ?? "error");
        await error.WriteAsync(context.Response);
        return (null, error);
    }

    private async Task RejectAsync(HttpContext context, Request request, GatewayError error)
    {
        telemetry.Rejected(error.Code ?? "error");
        await error.WriteAsync(context.Response);
        Publish(context, request, new ForwardResult(null, 0, error.Code), meter: null);
    }

    private void Publish(HttpContext context, Request request, ForwardResult result, ResponseMeter? meter)
    {
        var succeeded = meter is not null && result.ErrorCode is null && meter.StreamError is null
            && context.Response.StatusCode is >= 200 and < 300;
        var timings = RequestTiming.Measure(request.Operation, succeeded, request.Received,
            meter is null ? default : meter.ContentTimestamps, Stopwatch.GetTimestamp(), meter?.CompletionTokens,
            Stopwatch.Frequency, _options.ColdStartThreshold);
        var route = result.Route;
        var sample = new RequestSample
        {
            Timestamp = request.ReceivedAt,
            TenantId = request.Key.TenantId,
            KeyId = request.Key.Id,
            Operation = request.Operation,
            Model = request.Model,
            EndpointId = request.Endpoint?.Id,
            TargetId = request.Endpoint?.Primary.Id,
            Tier = request.Endpoint?.Primary.Kind,
            ReplicaId = route?.ReplicaId,
            Region = route?.Region,
            Burst = route?.Burst ?? false,
            StatusCode = context.Response.StatusCode,
            ErrorCode = result.ErrorCode ?? meter?.StreamError,
            Streamed = meter?.Streamed ?? false,
            TtftMs = timings.TtftMs,
            ItlMeanMs = timings.ItlMeanMs,
            ItlP99Ms = timings.ItlP99Ms,
            TpotMs = timings.TpotMs,
            EndToEndMs = timings.EndToEndMs,
            PromptTokens = meter?.PromptTokens,
            CompletionTokens = meter?.CompletionTokens,
            ContentChunks = meter is null ? 0 : meter.ContentTimestamps.Length,
            ColdStart = timings.ColdStart,
            Attempts = result.Attempts,
            DryRunId = request.Key.DryRunId,
        };
        samples.Add(sample);
        telemetry.Record(sample);
        if (request.Activity is { } activity)
        {
            Tag(activity, sample);
        }
    }

    private static void Tag(Activity activity, RequestSample sample)
    {
        activity.SetTag("http.response.status_code", sample.StatusCode);
        activity.SetTag("portal.tenant.id", sample.TenantId);
        activity.SetTag("portal.endpoint.id", sample.EndpointId);
        activity.SetTag("portal.replica.id", sample.ReplicaId);
        activity.SetTag("portal.region", sample.Region);
        activity.SetTag("portal.burst", sample.Burst);
        activity.SetTag("portal.attempts", sample.Attempts);
        activity.SetTag("gen_ai.usage.input_tokens", sample.PromptTokens);
        activity.SetTag("gen_ai.usage.output_tokens", sample.CompletionTokens);
        activity.SetTag("portal.ttft_ms", sample.TtftMs);
        activity.SetTag("portal.cold_start", sample.ColdStart);
        if (sample.ErrorCode is not null || sample.StatusCode >= 400)
        {
            activity.SetTag("error.type", sample.ErrorCode ?? sample.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>What is known about the request so far, for its sample.</summary>
    private sealed class Request(GatewayKey key, GatewayOperation operation, DateTimeOffset receivedAt, long received, Activity? activity)
    {
        public GatewayKey Key { get; } = key;

        public GatewayOperation Operation { get; } = operation;

        public DateTimeOffset ReceivedAt { get; } = receivedAt;

        public long Received { get; } = received;

        public Activity? Activity { get; } = activity;

        public string? Model { get; set; }

        public GatewayEndpoint? Endpoint { get; set; }
    }
}
