using System.Security.Cryptography;
using System.Text;

namespace Portal.Simulator.Api;

/// <summary>
/// vLLM's <c>--api-key</c> check: only paths under <c>/v1</c> are guarded (vLLM leaves <c>/health</c>, <c>/metrics</c>
/// and its other routes open), CORS preflights pass, and the bearer token is compared in constant time.
/// </summary>
internal sealed class ApiKeyCheck(string apiKey)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public bool Guards(HttpRequest request) =>
        !HttpMethods.IsOptions(request.Method) && request.Path.StartsWithSegments("/v1", StringComparison.Ordinal);

    public bool Admits(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[scheme.Length..]));
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }

    public static void Use(IApplicationBuilder app, string apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return;
        }

        var check = new ApiKeyCheck(apiKey);
        app.Use(async (context, next) =>
        {
            if (check.Guards(context.Request) && !check.Admits(context.Request))
            {
                await OpenAiError.Unauthorized().WriteAsync(context.Response);
                return;
            }

            await next(context);
        });
    }
}
