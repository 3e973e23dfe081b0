using Portal.Tenancy;

namespace Portal.Api;

public static class MembersApi
{
    public static RouteGroupBuilder MapMembersApi(this RouteGroupBuilder api)
    {
        var members = api.MapGroup("/tenants/{tenantId:guid}/members").WithTags("Members");

        members.MapGet("/", async (Guid tenantId, HttpContext http, MemberService service) =>
                (await service.ListAsync(http.Caller(), tenantId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("ListMembers").WithSummary("Members of a tenant the caller belongs to.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        members.MapPatch("/{memberId:guid}", async (Guid tenantId, Guid memberId, UpdateMemberRequest request, HttpContext http, MemberService service) =>
                (await service.UpdateAsync(http.Caller(), tenantId, memberId, request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("UpdateMember")
            .WithSummary("Change a member's role or disable them (TenantAdmin). Disabling ends their access to this tenant only.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        members.MapDelete("/{memberId:guid}", async (Guid tenantId, Guid memberId, HttpContext http, MemberService service) =>
                (await service.RemoveAsync(http.Caller(), tenantId, memberId, http.RequestAborted)).ToHttpResult(_ => Results.NoContent()))
            .WithName("RemoveMember").WithSummary("Remove a person from the tenant (TenantAdmin). Their account and other tenants stay.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var invitations = api.MapGroup("/tenants/{tenantId:guid}/invitations").WithTags("Members");

        invitations.MapGet("/", async (Guid tenantId, HttpContext http, InvitationService service) =>
                (await service.ListPendingAsync(http.Caller(), tenantId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("ListInvitations").WithSummary("Pending invitations of the tenant, with their roles and expiry.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        invitations.MapPost("/", async (Guid tenantId, InviteMemberRequest request, HttpContext http, InvitationService service) =>
                (await service.InviteAsync(http.Caller(), tenantId, request, http.RequestAborted))
                    .ToHttpResult(i => Results.Created($"/api/v1/tenants/{tenantId}/invitations/{i.Id}", i)))
            .WithName("InviteMember")
            .WithSummary("Invite a person by email (TenantAdmin). The answer is the same whether or not the address has an account.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        invitations.MapDelete("/{invitationId:guid}", async (Guid tenantId, Guid invitationId, HttpContext http, InvitationService service) =>
                (await service.RevokeAsync(http.Caller(), tenantId, invitationId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("RevokeInvitation").WithSummary("Revoke a pending invitation (TenantAdmin): its link stops working.")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        return api;
    }
}
