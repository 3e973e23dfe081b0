using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Identity;

namespace Portal.Hosting;

/// <summary>
/// Limits per client address on the doors that take a secret: sign-in (password, second factor, reset, invitation,
/// first-operator setup, device-code entry) and the token endpoints. Past the limit the answer is 429 with Retry-After.
/// The client address is the connection's, or what a trusted proxy forwards (<see cref="ProxySetup"/>).
/// </summary>
public static class RateLimitSetup
{
    public const string SectionName = "RateLimits";

    private static readonly string[] SignInPaths =
    [
        "/account/login", "/account/login/two-factor", "/account/forgot-password", "/account/reset-password",
        "/account/invitation", "/setup", "/connect/verify",
    ];

    private static readonly string[] TokenPaths = ["/connect/token", "/connect/device"];

    public static IHostApplicationBuilder AddPortalRateLimits(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var signInPerMinute = section.GetValue("SignInPerMinute", 10);
        var tokenPerMinute = section.GetValue("TokenPerMinute", 120);
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Limited(http.Request) switch
            {
                "sign-in" => Window("sign-in|" + SignInService.ClientAddress(http), signInPerMinute),
                "token" => Window("token|" + SignInService.ClientAddress(http), tokenPerMinute),
                _ => RateLimitPartition.GetNoLimiter(""),
            });
            options.OnRejected = RejectAsync;
        });
        return builder;
    }

    /// <summary>Which limit a request counts against: POSTs to the sign-in doors, or the token endpoints; none otherwise.</summary>
    private static string? Limited(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        var path = request.Path.Value?.TrimEnd('/') ?? "";
        return SignInPaths.Contains(path, StringComparer.OrdinalIgnoreCase) ? "sign-in"
            : TokenPaths.Contains(path, StringComparer.OrdinalIgnoreCase) ? "token"
            : null;
    }

    private static RateLimitPartition<string> Window(string key, int perMinute) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = perMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimitSetup))
            .LogWarning("Too many attempts at {Path} from {Address}; refused for {Seconds} s.", http.Request.Path, SignInService.ClientAddress(http), seconds);
        await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts",
            detail: $"Too many attempts from your address. Try again in {seconds} seconds.").ExecuteAsync(http);
    }
}
