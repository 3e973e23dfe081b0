using Portal.Api;

namespace Portal.Hosting;

public static class SecuritySetup
{
    /// <summary>
    /// Blazor Server needs only its own scripts and its WebSocket; MudBlazor sets inline styles, hence
    /// 'unsafe-inline' for styles alone. No inline script is allowed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

    public static WebApplication UsePortalSecurity(this WebApplication app)
    {
        if (app.Environment.IsHardened())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseBadRequestProblems();

        app.UseStatusCodePages(async context =>
        {
            // API and OIDC callers get problem details (written by their handlers); people get a page.
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status404NotFound && AcceptsHtml(http.Request) && !http.Response.HasStarted)
            {
                http.Response.Redirect("/not-found");
            }

            await Task.CompletedTask;
        });

        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";

            // The Blazor hub carries the signed-in person's session: refuse a connection opened by another site.
            if (http.Request.Path.StartsWithSegments("/_blazor") && !IsSameOrigin(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            await next(http);
        });

        app.UseRateLimiter(); // before authentication: OpenIddict answers /connect/token inside it
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api")
        && !request.Path.StartsWithSegments("/connect")
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static bool IsSameOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true; // Not a browser request: browsers always send Origin on WebSocket and CORS requests.
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}
