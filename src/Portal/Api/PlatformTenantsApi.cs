using Portal.Platform;
using Portal.Residency;

namespace Portal.Api;

public static class PlatformTenantsApi
{
    /// <summary>Tenant management for platform operators; quotas live beside it (<see cref="QuotasApi"/>).</summary>
    public static RouteGroupBuilder MapPlatformTenantsApi(this RouteGroupBuilder api)
    {
        var tenants = api.MapGroup("/platform/tenants").WithTags("Platform");

        tenants.MapGet("/", async (bool? includeDeleted, HttpContext http, TenantAdministration admin) =>
                (await admin.ListAsync(http.Caller(), includeDeleted ?? false, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("ListTenants").WithSummary("Every tenant with its state, members and allowed regions (platform Operator only).")
            .Produces<IReadOnlyList<TenantView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapPost("/", async (CreateTenantRequest request, HttpContext http, TenantAdministration admin) =>
                (await admin.CreateAsync(http.Caller(), request, http.RequestAborted))
                    .ToHttpResult(t => Results.Created($"/api/v1/platform/tenants/{t.Id}", t)))
            .WithName("CreateTenant").WithSummary("Create a tenant with a name and a slug (platform Operator only; audited).")
            .Produces<TenantView>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapGet("/{tenantId:guid}", async (Guid tenantId, HttpContext http, TenantAdministration admin) =>
                (await admin.GetAsync(http.Caller(), tenantId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("GetTenant").WithSummary("One tenant (platform Operator only).")
            .Produces<TenantView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapPatch("/{tenantId:guid}", async (Guid tenantId, RenameTenantRequest request, HttpContext http, TenantAdministration admin) =>
                (await admin.RenameAsync(http.Caller(), tenantId, request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("RenameTenant").WithSummary("Rename a tenant; its slug stays (platform Operator only; audited).")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapPost("/{tenantId:guid}/suspend", async (Guid tenantId, TenantStateRequest? request, HttpContext http, TenantAdministration admin) =>
                (await admin.SuspendAsync(http.Caller(), tenantId, request ?? new(null), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("SuspendTenant")
            .WithSummary("Suspend a tenant, with an optional reason: its members' pages and API calls and its inference keys are refused (platform Operator only; audited).")
            .WithDescription("Its replicas keep running, so resuming restores service at once; deleting it stops them.")
            .Produces<TenantView>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapPost("/{tenantId:guid}/resume", async (Guid tenantId, TenantStateRequest? request, HttpContext http, TenantAdministration admin) =>
                (await admin.ResumeAsync(http.Caller(), tenantId, request ?? new(null), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("ResumeTenant").WithSummary("Lift a tenant's suspension (platform Operator only; audited).")
            .Produces<TenantView>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapDelete("/{tenantId:guid}", async (Guid tenantId, string? reason, HttpContext http, TenantAdministration admin) =>
                (await admin.DeleteAsync(http.Caller(), tenantId, new(reason), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("DeleteTenant")
            .WithSummary("Delete a suspended tenant: its deployments are deleted (replicas stop), endpoints removed, keys revoked, clients disabled, secrets destroyed; its audit trail stays (platform Operator only).")
            .WithDescription("A tenant that is not suspended is refused with 409: suspend it first. The tenant keeps its row and its slug.")
            .Produces<DeletedTenantView>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        tenants.MapPut("/{tenantId:guid}/regions", async (Guid tenantId, RegionLockRequest request, HttpContext http, TenantAdministration admin) =>
                (await admin.SetAllowedRegionsAsync(http.Caller(), tenantId, request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("SetTenantRegions")
            .WithSummary("Set the regions a tenant may use (its residency policy: jurisdictions and/or regions, or unlock) with a reason (platform Operator only; audited).")
            .WithDescription("409 names the running deployments the change would strand.")
            .Produces<TenantView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }
}
