using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Core.Gateway;
using Portal.Gateway.Handling;
using Portal.Gateway.Outbound;
using Portal.Gateway.Routing;
using Portal.Gateway.Seams;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Gateway.Forwarding;

/// <summary>How forwarding ended: the last upstream tried, how many attempts, and the gateway's error code if it answered itself.</summary>
internal readonly record struct ForwardResult(UpstreamRoute? Route, int Attempts, string? ErrorCode);

/// <summary>
/// Sends a request to its endpoint's primary target through YARP's forwarder, failing over to another replica when the
/// attempt fails before the client has received anything: connection refused or timed out, or a 5xx/429 answer.
/// With <c>assemble</c>, a streamed answer to a request the client wanted non-streamed is assembled before it is sent.
/// A replica takes requests up to its queue bound (<see cref="GatewayOptions.MaxQueuedPerReplica"/> past saturation).
/// </summary>
internal sealed partial class UpstreamForwarder(
    IHttpForwarder forwarder, UpstreamInvoker invoker, UpstreamRouter router, IOptions<GatewayOptions> options,
    ILogger<UpstreamForwarder> logger)
{
    private readonly ForwarderRequestConfig _config = new() { ActivityTimeout = options.Value.UpstreamTimeout };
    private readonly int _maxAttempts = options.Value.MaxAttempts;
    private readonly int _retryAfterSeconds = options.Value.NoCapacityRetryAfterSeconds;
    private readonly int _maxQueued = options.Value.MaxQueuedPerReplica;
    private readonly int _queueFullRetryAfterSeconds = options.Value.QueueFullRetryAfterSeconds;
    private readonly TimeSpan _streamIdleTimeout = options.Value.StreamIdleTimeout;

    public async Task<ForwardResult> ForwardAsync(
        HttpContext context, GatewayEndpoint endpoint, GatewayOperation operation, byte[] upstreamBody, ResponseMeter meter, bool assemble)
    {
        var exchange = new UpstreamExchange(upstreamBody, meter, _streamIdleTimeout, operation, assemble);
        List<string>? tried = null;
        UpstreamRoute? last = null;
        GatewayError? failure = null;
        var attempts = 0;
        while (true)
        {
            var route = router.Route(endpoint.Primary, endpoint.AllowedRegions, tried);
            if (route is null)
            {
                var error = attempts == 0 ? GatewayError.NoCapacity(_retryAfterSeconds) : failure ?? GatewayError.UpstreamUnavailable;
                await error.WriteAsync(context.Response);
                return new ForwardResult(last, attempts, error.Code);
            }

            if (route.ReplicaId is not null && ReplicaRouting.AtQueueBound(route.Load.Outstanding, endpoint.Primary.SaturationBound, _maxQueued))
            {
                // A spike beyond what the Ready replicas can queue (a burst replica may still be loading): refuse it
                // with a time to come back rather than pile more onto them.
                var full = GatewayError.QueueFull(_queueFullRetryAfterSeconds);
                await full.WriteAsync(context.Response);
                return new ForwardResult(last, attempts, full.Code);
            }

            attempts++;
            last = route;
            var allowRetry = attempts < _maxAttempts && route.Alternatives > 0;
            exchange.PrepareAttempt(context, route.Load.UriFor(route.BaseUri, operation), route.ApiKey, allowRetry);
            ForwarderError result;
            route.Load.Enter();
            try
            {
                result = await forwarder.SendAsync(context, route.Prefix, invoker.For(route.ReplicaId), _config, exchange, CancellationToken.None);
            }
            finally
            {
                route.Load.Exit();
            }

            if (exchange.HeldBackStatus != 0)
            {
                LogFailover(logger, route.ReplicaId, exchange.HeldBackStatus.ToString(System.Globalization.CultureInfo.InvariantCulture), null);
                failure = exchange.HeldBackStatus == StatusCodes.Status429TooManyRequests
                    ? GatewayError.UpstreamQueueFull
                    : GatewayError.UpstreamUnavailable;
                ResetResponse(context);
                (tried ??= []).Add(route.ReplicaId ?? string.Empty);
                continue;
            }

            if (exchange.AssemblyError is { } broken)
            {
                // The stream being assembled failed after the upstream accepted the request: not retried (it may have
                // spent tokens), but nothing has reached the client, so it gets a proper error answer.
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return new ForwardResult(route, attempts, "client_closed");
                }

                ResetResponse(context);
                await broken.WriteAsync(context.Response);
                return new ForwardResult(route, attempts, meter.StreamError ?? broken.Code);
            }

            if (result == ForwarderError.None)
            {
                return new ForwardResult(route, attempts, null);
            }

            if (context.RequestAborted.IsCancellationRequested)
            {
                return new ForwardResult(route, attempts, "client_closed");
            }

            if (context.Response.HasStarted)
            {
                // The body broke after it started; YARP has reset the client's connection, the only honest signal left.
                return new ForwardResult(route, attempts, "upstream_stream_error");
            }

            var couldNotConnect = result == ForwarderError.Request || IsConnectTimeout(context);
            var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            LogFailover(logger, route.ReplicaId, result.ToString(), exception);
            failure = OutboundRefusedException.IsRefusal(exception) ? GatewayError.UpstreamRefused
                : result == ForwarderError.RequestTimedOut && !couldNotConnect ? GatewayError.UpstreamTimeout
                : GatewayError.UpstreamUnavailable;
            ResetResponse(context);
            if (couldNotConnect && allowRetry)
            {
                (tried ??= []).Add(route.ReplicaId ?? string.Empty);
                continue;
            }

            await failure.WriteAsync(context.Response);
            return new ForwardResult(route, attempts, failure.Code);
        }
    }

    private static bool IsConnectTimeout(HttpContext context)
    {
        for (var e = context.Features.Get<IForwarderErrorFeature>()?.Exception; e is not null; e = e.InnerException)
        {
            if (e is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    private static void ResetResponse(HttpContext context)
    {
        context.Response.Clear();
        context.Features.Set<IForwarderErrorFeature>(null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream attempt on replica {ReplicaId} failed before the response started: {Failure}.")]
    private static partial void LogFailover(ILogger logger, string? replicaId, string failure, Exception? exception);
}
