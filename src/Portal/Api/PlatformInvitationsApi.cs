using Portal.Platform;
using Portal.Tenancy;

namespace Portal.Api;

public static class PlatformInvitationsApi
{
    /// <summary>A platform operator invites a tenant's first TenantAdmin and sees the tenant's pending invitations.</summary>
    public static RouteGroupBuilder MapPlatformInvitationsApi(this RouteGroupBuilder api)
    {
        var invitations = api.MapGroup("/platform/tenants/{tenantId:guid}/invitations").WithTags("Platform");

        invitations.MapGet("/", async (Guid tenantId, HttpContext http, AdminInvitations service) =>
                (await service.ListPendingAsync(http.Caller(), tenantId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("ListTenantInvitations")
            .WithSummary("The tenant's pending invitations, whoever sent them (platform Operator only).")
            .Produces<IReadOnlyList<InvitationView>>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        invitations.MapPost("/", async (Guid tenantId, InviteAdminRequest request, HttpContext http, AdminInvitations service) =>
                (await service.InviteAsync(http.Caller(), tenantId, request, http.RequestAborted))
                    .ToHttpResult(i => Results.Created($"/api/v1/platform/tenants/{tenantId}/invitations/{i.Id}", i)))
            .WithName("InviteTenantAdmin")
            .WithSummary("Invite the tenant's first TenantAdmin by email (platform Operator only; audited in the platform's trail and the tenant's).")
            .WithDescription("The same invitation a TenantAdmin sends: a single-use link by email, valid for 7 days, that makes the person " +
                "TenantAdmin of this tenant when they accept it. A suspended or deleted tenant is refused with 409.")
            .Produces<InvitationView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return api;
    }
}
