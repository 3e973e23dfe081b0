using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// One request's conversation with its upstream, attempt by attempt: what to send (the already-read, possibly rewritten
/// body; the upstream's own credentials instead of the caller's key) and what to do with the answer (meter a success;
/// hold back a 5xx or 429 while another replica may still be tried, so failover stays invisible to the client).
/// </summary>
/// <remarks>
/// YARP copies the request body from <see cref="HttpRequest.Body"/> and refuses a replaced outgoing content, so each
/// attempt puts the body bytes back there; that is also what makes a retry possible after the client's body was read.
/// </remarks>
internal sealed class UpstreamExchange(byte[] body, ResponseMeter meter, TimeSpan streamIdleTimeout) : HttpTransformer
{
    private Uri? _destination;
    private string? _apiKey;

    /// <summary>A 5xx or 429 that was held back because another attempt may follow; 0 when none.</summary>
    public int HeldBackStatus { get; private set; }

    public bool AllowRetry { get; private set; }

    public void PrepareAttempt(HttpContext context, Uri destination, string? apiKey, bool allowRetry)
    {
        var request = context.Request;
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        request.ContentType = "application/json";
        request.Headers.TransferEncoding = default;
        _destination = destination;
        _apiKey = apiKey;
        AllowRetry = allowRetry;
        HeldBackStatus = 0;
    }

    public override async ValueTask TransformRequestAsync(
        HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);

        // The caller's inference key stays here; an upstream only ever sees its own key (serverless) or none (replicas).
        proxyRequest.Headers.Authorization = _apiKey is null ? null : new AuthenticationHeaderValue("Bearer", _apiKey);
        proxyRequest.Headers.AcceptEncoding.Clear();
        proxyRequest.Headers.ExpectContinue = null;
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

        await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (status is >= 200 and < 300)
        {
            var sse = string.Equals(proxyResponse.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
            meter.Streamed = sse;
            if (sse)
            {
                httpContext.Response.Headers.ContentLength = null;
            }

            proxyResponse.Content = new MeteredContent(proxyResponse.Content, meter, sse, streamIdleTimeout);
        }

        return true;
    }
}
