using Portal.Platform;
using Portal.Tenancy;

namespace Portal.Api;

public static class PlatformAccountsApi
{
    /// <summary>A platform operator ends every session of a person, in every tenant.</summary>
    public static RouteGroupBuilder MapPlatformAccountsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/platform/accounts/end-sessions", async (EndSessionsRequest request, HttpContext http, AccountSessions service) =>
                (await service.EndAllAsync(http.Caller(), request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithTags("Platform")
            .WithName("EndAccountSessions")
            .WithSummary("End every session of a person in every tenant: cookies, open pages and tokens (platform Operator only; audited).")
            .WithDescription("`{email, reason}`. The person signs in again with their password (and second factor); nothing else of the " +
                "account changes. A TenantAdmin ends a person's access to one tenant by disabling or removing the member instead.")
            .Produces<EndedSessionsView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
