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

        members.MapPost("/", async (Guid tenantId, AddMemberRequest request, HttpContext http, MemberService service) =>
                (await service.AddAsync(http.Caller(), tenantId, request, http.RequestAborted))
                    .ToHttpResult(m => Results.Created($"/api/v1/tenants/{tenantId}/members/{m.Id}", m)))
            .WithName("AddMember").WithSummary("Add a person to the tenant (TenantAdmin).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        members.MapPatch("/{memberId:guid}", async (Guid tenantId, Guid memberId, UpdateMemberRequest request, HttpContext http, MemberService service) =>
                (await service.UpdateAsync(http.Caller(), tenantId, memberId, request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("UpdateMember").WithSummary("Change a member's role or disable them (TenantAdmin). Disabling ends their sessions and tokens.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
