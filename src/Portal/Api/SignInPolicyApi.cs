using Portal.Tenancy;

namespace Portal.Api;

public static class SignInPolicyApi
{
    public static RouteGroupBuilder MapSignInPolicyApi(this RouteGroupBuilder api)
    {
        var policy = api.MapGroup("/tenants/{tenantId:guid}/sign-in-policy").WithTags("Members");

        policy.MapGet("/", async (Guid tenantId, HttpContext http, SignInPolicyService service) =>
                (await service.GetAsync(http.Caller(), tenantId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("GetSignInPolicy").WithSummary("Whether the tenant requires two-factor sign-in, and who has not set it up (TenantAdmin).")
            .Produces<SignInPolicyView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        policy.MapPut("/", async (Guid tenantId, SignInPolicyRequest request, HttpContext http, SignInPolicyService service) =>
                (await service.SetAsync(http.Caller(), tenantId, request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("SetSignInPolicy").WithSummary("Require two-factor sign-in of the tenant's members, or stop requiring it (TenantAdmin).")
            .WithDescription("While it is required, a member without two-factor sign-in is refused the tenant's pages and API (403) until "
                + "they set it up at /account/security; automation clients are not asked. A person must have it themselves to turn it on (409).")
            .Produces<SignInPolicyView>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }
}
