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
            var caller = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http.User, http.RequestAborted);
            if (caller is null)
            {
                return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in",
                    detail: "The session or token is no longer valid.");
            }

            http.Items[CallerKey] = caller;
            var result = await next(context);
            if (result is IStatusCodeHttpResult { StatusCode: StatusCodes.Status403Forbidden })
            {
                await RecordRefusalAsync(http, caller, result);
            }

            return result;
        });
        return group;
    }

    /// <summary>
    /// Denied access enters the audit trail whatever was refused: changes are recorded by the service that refused
    /// them (<see cref="Tenancy.TenantGuard"/>); refused reads (a Developer asking for the audit log, a tenant member
    /// asking for the fleet) and anything else refused without a record are recorded here, once.
    /// </summary>
    private static async Task RecordRefusalAsync(HttpContext http, Caller caller, object? result)
    {
        var auditLog = http.RequestServices.GetRequiredService<Audit.AuditLog>();
        if (auditLog.RecordedRefusal)
        {
            return;
        }

        var named = http.Request.RouteValues.TryGetValue("tenantId", out var route) ? route?.ToString() : http.Request.Query["tenantId"].ToString();
        Guid? tenantId = Guid.TryParse(named, out var id) && caller.In(id) is not null ? id : null;
        var reason = (result as Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult)?.ProblemDetails.Detail ?? "Forbidden.";
        await auditLog.RecordAsync(caller, tenantId, "access.denied", "api", $"{http.Request.Method} {http.Request.Path}",
            Core.Audit.AuditOutcome.Denied, reason, cancellationToken: http.RequestAborted);
    }

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
