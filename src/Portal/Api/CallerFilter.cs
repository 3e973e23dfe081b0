using OpenIddict.Abstractions;
using Portal.Core.Accounts;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Api;

public static class CallerFilter
{
    private static readonly object CallerKey = new();

    /// <summary>
    /// Requires an authenticated caller that still resolves in the database: a disabled member's or a revoked
    /// client's valid-looking cookie or token gets 401 here.
    /// </summary>
    public static RouteGroupBuilder WithPortalCaller(this RouteGroupBuilder group)
    {
        group.RequireAuthorization(p => p.AddAuthenticationSchemes(Hosting.IdentitySetup.CookieOrBearer).RequireAuthenticatedUser());
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (LacksApiScope(http))
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Insufficient scope",
                    detail: $"The access token was not granted the '{PortalScopes.Api}' scope; request it when you ask for the token.",
                    extensions: new Dictionary<string, object?> { ["error"] = "insufficient_scope" });
            }

            var caller = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http.User, http.RequestAborted);
            if (caller is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
                    detail: "The session or token is no longer valid.");
            }

            http.Items[CallerKey] = caller;
            if (SuspendedTenant(http, caller) is { } suspended)
            {
                var refused = Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Tenant suspended", detail: SuspendedMessage(suspended.TenantName));
                await RecordRefusalAsync(http, caller, refused, suspended.TenantId);
                return refused;
            }

            if (caller.HeldBack(NamedTenant(http)) is { } held && http.GetEndpoint()?.Metadata.GetMetadata<OpenWhileAwaitingTwoFactorMarker>() is null)
            {
                return await RefuseUntilTwoFactorAsync(http, caller, held);
            }

            var result = await next(context);
            if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status403Forbidden })
            {
                await RecordRefusalAsync(http, caller, result);
            }

            return result;
        });
        return group;
    }

    /// <summary>An access token (not a sign-in cookie) reaches the management API only with the API scope.</summary>
    private static bool LacksApiScope(HttpContext http) =>
        http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
        && !http.User.HasScope(PortalScopes.Api);

    /// <summary>
    /// Denied access enters the audit trail whatever was refused: changes are recorded by the service that refused
    /// them (<see cref="Tenancy.TenantGuard"/>); refused reads (a Developer asking for the audit log, a tenant member
    /// asking for the fleet) and anything else refused without a record are recorded here, once.
    /// </summary>
    private static async Task RecordRefusalAsync(HttpContext http, Caller caller, object? result, Guid? suspendedTenant = null)
    {
        var auditLog = http.RequestServices.GetRequiredService<Audit.AuditLog>();
        if (auditLog.RecordedRefusal)
        {
            return;
        }

        Guid? tenantId = suspendedTenant ?? (NamedTenant(http) is { } id && caller.In(id) is not null ? id : null);
        var reason = (result as Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)?.ProblemDetails.Detail ?? "Forbidden.";
        await auditLog.RecordAsync(caller, tenantId, "access.denied", "api", $"{http.Request.Method} {http.Request.Path}",
            Core.Audit.AuditOutcome.Denied, reason, cancellationToken: http.RequestAborted);
    }

    public static string SuspendedMessage(string tenantName) =>
        $"The tenant '{tenantName}' is suspended by a platform operator: its pages, API and inference keys are refused until it is resumed.";

    /// <summary>
    /// A tenant that requires two-factor sign-in refuses the person's calls into it until they set it up: 403 with what
    /// to do, recorded in that tenant's trail. Their other tenants answer as before.
    /// </summary>
    private static async Task<IResult> RefuseUntilTwoFactorAsync(HttpContext http, Caller caller, TenantAccess held)
    {
        var detail = TwoFactorPolicy.HeldBackMessage(held.TenantName);
        await http.RequestServices.GetRequiredService<Audit.AuditLog>().RecordAsync(caller, held.TenantId, "access.denied", "api",
            $"{http.Request.Method} {http.Request.Path}", Core.Audit.AuditOutcome.Denied, detail, cancellationToken: http.RequestAborted);
        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Two-factor sign-in required", detail: detail,
            extensions: new Dictionary<string, object?> { ["tenantId"] = held.TenantId, ["setUpAt"] = "/account/security" });
    }

    /// <summary>The tenant a call names in its route or its query (<c>tenantId</c>), if any.</summary>
    private static Guid? NamedTenant(HttpContext http)
    {
        var named = http.Request.RouteValues.TryGetValue("tenantId", out var route) ? route?.ToString() : http.Request.Query["tenantId"].ToString();
        return Guid.TryParse(named, out var id) ? id : null;
    }

    /// <summary>
    /// The suspended tenant a request would act in: the one it names, or (naming none) the only kind the caller has.
    /// The platform's own API and <c>/me</c> stay open.
    /// </summary>
    private static TenantAccess? SuspendedTenant(HttpContext http, Caller caller)
    {
        if (caller.Suspended.Count == 0 || http.Request.Path.StartsWithSegments("/api/v1/platform") || http.Request.Path.StartsWithSegments("/api/v1/me"))
        {
            return null;
        }

        return NamedTenant(http) is { } named
            ? caller.Suspended.FirstOrDefault(t => t.TenantId == named)
            : caller.Tenants.Count == 0 && !caller.IsSupport && !caller.IsOperator ? caller.Suspended[0] : null;
    }

    /// <summary>Marks a route that acts in no tenant, so a tenant awaiting the caller's two-factor sign-in does not refuse it.</summary>
    public static RouteHandlerBuilder OpenWhileAwaitingTwoFactor(this RouteHandlerBuilder route) =>
        route.WithMetadata(new OpenWhileAwaitingTwoFactorMarker());

    private sealed class OpenWhileAwaitingTwoFactorMarker;

    public static Caller Caller(this HttpContext http) =>
        http.Items[CallerKey] as Caller ?? throw new InvalidOperationException("The caller filter did not run.");

    /// <summary>RFC 7807 problem details for a refused or failed service operation.</summary>
    public static IResult ToHttpResult<T>(this ServiceResult<T> result, Func<T, IResult> ok) => result.Status switch
    {
        ServiceStatus.Ok => ok(result.Value!),
        ServiceStatus.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: result.Message),
        ServiceStatus.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: result.Message),
        ServiceStatus.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Message),
        ServiceStatus.Unavailable => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable", detail: result.Message),
        _ => Results.ValidationProblem(
            result.Errors?.ToDictionary(e => e.Key, e => e.Value) ?? new Dictionary<string, string[]>(),
            detail: result.Message, title: "The request is not valid"),
    };
}
