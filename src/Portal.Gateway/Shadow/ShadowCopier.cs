using System.Buffers;
using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Gateway;
using Portal.Gateway.Forwarding;
using Portal.Gateway.Handling;
using Portal.Gateway.Outbound;
using Portal.Gateway.Routing;
using Portal.Gateway.Samples;
using Portal.Gateway.Seams;
using Portal.Gateway.Telemetry;

namespace Portal.Gateway.Shadow;

/// <summary>
/// Copies a sampled share of an endpoint's requests to its shadow target in the background. The copy's response is read
/// to the end, measured and discarded. The caller's request never waits for it and cannot fail because of it; copies
/// beyond <see cref="GatewayOptions.MaxConcurrentShadowCopies"/> are dropped and counted.
/// </summary>
internal sealed partial class ShadowCopier(
    UpstreamRouter router, UpstreamInvoker invoker, SampleQueue samples, GatewayTelemetry telemetry, GatewayCounters counters,
    IOptions<GatewayOptions> options, ILogger<ShadowCopier> logger)
{
    private readonly GatewayOptions _options = options.Value;
    private int _inFlight;

    public void TryCopy(GatewayEndpoint endpoint, GatewayKey key, GatewayOperation operation, byte[] body, in RequestFields fields)
    {
        var target = endpoint.Shadow;
        if (target is null || !ShadowSampling.ShouldCopy(endpoint.ShadowShare, Random.Shared.NextDouble()))
        {
            return;
        }

        if (Interlocked.Increment(ref _inFlight) > _options.MaxConcurrentShadowCopies)
        {
            Interlocked.Decrement(ref _inFlight);
            counters.ShadowDropped();
            telemetry.ShadowDropped();
            return;
        }

        counters.ShadowStarted();
        var copy = new ShadowRequest(endpoint, target, key, operation, body, fields, DateTimeOffset.UtcNow, Stopwatch.GetTimestamp());
        _ = Task.Run(() => CopyAsync(copy));
    }

    private async Task CopyAsync(ShadowRequest copy)
    {
        var (endpoint, target, key, operation, _, fields, receivedAt, received) = copy;
        // Like the primary: every generation is streamed so the copy's first token is timed too.
        var streamed = fields.Stream || operation.Generates();
        var addUsage = streamed && !fields.IncludeUsage && operation.Generates();
        using var meter = new ResponseMeter(operation, stripUsageChunk: addUsage);
        UpstreamRoute? route = null;
        var status = 0;
        string? errorCode = null;
        try
        {
            route = router.Route(target, endpoint.AllowedRegions, tried: null);
            if (route is null)
            {
                status = StatusCodes.Status503ServiceUnavailable;
                errorCode = "no_capacity";
                return;
            }

            using var timeout = new CancellationTokenSource(_options.ShadowTimeout);
            route.Load.Enter();
            try
            {
                (status, errorCode) = await SendAsync(copy, route, meter, RequestBody.Rewrite(copy.Body, fields, target.UpstreamModel, addUsage, forceStream: streamed), timeout.Token);
            }
            finally
            {
                route.Load.Exit();
            }
        }
        catch (Exception e)
        {
            status = status == 0 ? StatusCodes.Status502BadGateway : status;
            errorCode ??= e is OperationCanceledException ? "upstream_timeout"
                : OutboundRefusedException.IsRefusal(e) ? GatewayError.UpstreamRefused.Code!
                : "upstream_unavailable";
            LogShadowFailed(logger, endpoint.Id, errorCode);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            var succeeded = errorCode is null && meter.StreamError is null && status is >= 200 and < 300;
            var timings = RequestTiming.Measure(operation, succeeded, received, meter.ContentTimestamps, Stopwatch.GetTimestamp(),
                meter.CompletionTokens, Stopwatch.Frequency, _options.ColdStartThreshold);
            var sample = new RequestSample
            {
                Timestamp = receivedAt,
                TenantId = key.TenantId,
                KeyId = key.Id,
                Operation = operation,
                Model = endpoint.Model,
                EndpointId = endpoint.Id,
                TargetId = target.Id,
                Tier = target.Kind,
                ReplicaId = route?.ReplicaId,
                Region = route?.Region,
                Burst = route?.Burst ?? false,
                Shadow = true,
                DryRunId = key.DryRunId,
                StatusCode = status,
                ErrorCode = errorCode ?? meter.StreamError,
                Streamed = meter.Streamed,
                TtftMs = timings.TtftMs,
                ItlMeanMs = timings.ItlMeanMs,
                ItlP99Ms = timings.ItlP99Ms,
                TpotMs = timings.TpotMs,
                EndToEndMs = timings.EndToEndMs,
                PromptTokens = meter.PromptTokens,
                CompletionTokens = meter.CompletionTokens,
                ContentChunks = meter.ContentTimestamps.Length,
                ColdStart = timings.ColdStart,
                Attempts = route is null ? 0 : 1,
            };
            samples.Add(sample);
            telemetry.Record(sample);
        }
    }

    private async Task<(int Status, string? ErrorCode)> SendAsync(
        ShadowRequest copy, UpstreamRoute route, ResponseMeter meter, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, route.Load.UriFor(route.BaseUri, copy.Operation));
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (route.ApiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", route.ApiKey);
        }

        using var response = await invoker.For(route.ReplicaId).SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is < 200 or >= 300)
        {
            return (status, null);
        }

        var sse = string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        meter.Streamed = sse && copy.Fields.Stream;
        await using var stream = new MeteredStream(
            await response.Content.ReadAsStreamAsync(cancellationToken), meter, sse, _options.StreamIdleTimeout);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await stream.ReadAsync(buffer, cancellationToken) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (status, null);
    }

    private sealed record ShadowRequest(
        GatewayEndpoint Endpoint, GatewayTarget Target, GatewayKey Key, GatewayOperation Operation, byte[] Body,
        RequestFields Fields, DateTimeOffset ReceivedAt, long Received);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shadow copy for endpoint {EndpointId} failed: {ErrorCode}.")]
    private static partial void LogShadowFailed(ILogger logger, Guid endpointId, string errorCode);
}
