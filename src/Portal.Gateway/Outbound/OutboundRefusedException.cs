namespace Portal.Gateway.Outbound;

/// <summary>
/// A tenant-given address refused at connect time. Its message is what a target's error shows; <see cref="Reason"/>
/// (the rule and the address) is for the operator's log only, so a tenant cannot map the inside through error text.
/// </summary>
public sealed class OutboundRefusedException(string reason) : Exception(PlainMessage)
{
    public const string PlainMessage = "refused: address not allowed for outbound calls";

    public string Reason { get; } = reason;

    /// <summary>A failed outbound call as a tenant may see it: never the socket's text (it names hosts and ports).</summary>
    public static string Describe(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException)
            {
                return PlainMessage;
            }
        }

        return exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name did not resolve",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "could not connect",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the TLS handshake failed",
            HttpRequestException { HttpRequestError: HttpRequestError.ConfigurationLimitExceeded } => "the response was larger than allowed",
            HttpRequestException when exception.Message.Contains("buffer", StringComparison.OrdinalIgnoreCase) => "the response was larger than allowed",
            _ => "the request failed",
        };
    }

    public static bool IsRefusal(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}
