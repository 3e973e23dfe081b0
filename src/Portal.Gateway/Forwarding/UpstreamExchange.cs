using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Portal.Core.Gateway;
using Portal.Gateway.Handling;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// One request's conversation with its upstream, attempt by attempt: what to send (the already-read, possibly rewritten
/// body; the upstream's own credentials instead of the caller's key) and what to do with the answer (meter a success;
/// hold back a 5xx or 429 while another replica may still be tried, so failover stays invisible to the client).
/// When the client asked for a non-streamed answer and the upstream streams (the gateway asked it to, to measure), the
/// stream is read here to its end through the same meter and the client gets the assembled non-streamed answer.
/// </summary>
/// <remarks>
/// YARP copies the request body from <see cref="HttpRequest.Body"/> and refuses a replaced outgoing content, so each
/// attempt puts the body bytes back there; that is also what makes a retry possible after the client's body was read.
/// </remarks>
internal sealed class UpstreamExchange(
    byte[] body, ResponseMeter meter, TimeSpan streamIdleTimeout, GatewayOperation operation, bool assemble) : HttpTransformer
{
    private Uri? _destination;
    private string? _authorization;

    /// <summary>A 5xx or 429 that was held back because another attempt may follow; 0 when none.</summary>
    public int HeldBackStatus { get; private set; }

    public bool AllowRetry { get; private set; }

    /// <summary>Set when a stream being assembled failed before its end; nothing was sent to the client yet.</summary>
    public GatewayError? AssemblyError { get; private set; }

    public void PrepareAttempt(HttpContext context, Uri destination, string? apiKey, bool allowRetry)
    {
        var request = context.Request;
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        request.ContentType = "application/json";
        request.Headers.TransferEncoding = default;
        _destination = destination;
        _authorization = apiKey is null ? null : "Bearer " + apiKey;
        AllowRetry = allowRetry;
        HeldBackStatus = 0;
        AssemblyError = null;
    }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // The caller's inference key stays here; an upstream only ever sees its own key (serverless) or none (replicas).
        // Removed and added as raw values: the typed properties would first parse the copied client values, per request.
        var headers = proxyRequest.Headers;
        headers.Remove(HeaderNames.Authorization);
        if (_authorization is not null)
        {
            headers.TryAddWithoutValidation(HeaderNames.Authorization, _authorization);
        }

        headers.Remove(HeaderNames.AcceptEncoding);
        headers.Remove(HeaderNames.Expect);
        proxyRequest.RequestUri = _destination;
    }

    public override async ValueTask<bool> TransformResponseAsync(
        HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return false;
        }

        var status = (int)proxyResponse.StatusCode;
        if (AllowRetry && (status >= 500 || status == StatusCodes.Status429TooManyRequests))
        {
            HeldBackStatus = status;
            return false;
        }

        var sse = status is >= 200 and < 300
            && string.Equals(proxyResponse.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
        if (sse && assemble)
        {
            var (answer, error) = await AssembleAsync(proxyResponse.Content, httpContext.RequestAborted, cancellationToken);
            if (error is not null)
            {
                AssemblyError = error;
                return false;
            }

            await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
            httpContext.Response.ContentType = "application/json";
            httpContext.Response.ContentLength = answer!.Length;
            httpContext.Response.Headers.CacheControl = default;
            proxyResponse.Content = new ByteArrayContent(answer);
            return true;
        }

        await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (status is >= 200 and < 300)
        {
            meter.Streamed = sse;
            if (sse)
            {
                httpContext.Response.Headers.ContentLength = null;
            }

            proxyResponse.Content = new MeteredContent(proxyResponse.Content, meter, sse, streamIdleTimeout);
        }

        return true;
    }

    /// <summary>
    /// Reads the whole stream through the meter (so content chunks are timed as they arrive) into the non-streamed
    /// answer; or the error to answer when the stream broke, went silent or carried the upstream's own error.
    /// </summary>
    private async Task<(byte[]? Answer, GatewayError? Error)> AssembleAsync(
        HttpContent content, CancellationToken clientAborted, CancellationToken cancellationToken)
    {
        var assembler = new CompletionAssembler(operation);
        try
        {
            await using var metered = new MeteredStream(
                await content.ReadAsStreamAsync(cancellationToken), meter, sse: true, streamIdleTimeout);
            using var reader = new StreamReader(metered, Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var payload = line.StartsWith("data:", StringComparison.Ordinal) ? line[5..].TrimStart(' ') : string.Empty;
                if (payload.StartsWith('{'))
                {
                    assembler.Add(payload);
                }
            }
        }
        catch (Exception) when (clientAborted.IsCancellationRequested)
        {
            meter.StreamError = "client_closed";
            return (null, GatewayError.UpstreamTimeout);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException or JsonException)
        {
            // Cancelled without the client leaving: the forwarder's upstream timeout ran out.
            var error = e is OperationCanceledException || cancellationToken.IsCancellationRequested
                ? GatewayError.UpstreamTimeout
                : GatewayError.UpstreamBadStream;
            meter.StreamError = error.Code;
            return (null, error);
        }

        if (meter.StreamError is { } code)
        {
            return (null, code == GatewayError.UpstreamTimeout.Code ? GatewayError.UpstreamTimeout : GatewayError.UpstreamBadStream);
        }

        if (assembler.Error is { } upstreamError)
        {
            meter.StreamError = "upstream_error";
            return (null, GatewayError.FromUpstream(upstreamError));
        }

        return (assembler.Build(), null);
    }
}
