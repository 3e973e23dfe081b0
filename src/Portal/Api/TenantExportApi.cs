using Portal.Platform;

namespace Portal.Api;

public static class TenantExportApi
{
    /// <summary>The offboarding export of one tenant, beside tenant management (<see cref="PlatformTenantsApi"/>).</summary>
    public static RouteGroupBuilder MapTenantExportApi(this RouteGroupBuilder api)
    {
        api.MapGet("/platform/tenants/{tenantId:guid}/export", ExportAsync).WithTags("Platform")
            .WithName("ExportTenant")
            .WithSummary("A zip of one tenant's records for offboarding: audit.jsonl, configuration.json, samples.jsonl and manifest.json (platform Operator only; audited).")
            .WithDescription("Works for active, suspended and deleted tenants. No secret, key hash or request content is included; the audit part verifies offline with the public key.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<IResult> ExportAsync(Guid tenantId, HttpContext http, TenantExport export, TimeProvider clock)
    {
        var caller = http.Caller();
        var begun = await export.BeginAsync(caller, tenantId, http.RequestAborted);
        if (!begun.Succeeded)
        {
            return begun.ToHttpResult(_ => Results.Ok());
        }

        var tenant = begun.Value!;
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"tenant-{tenant.Slug}-{clock.GetUtcNow():yyyyMMdd-HHmmss}.zip\"";
        await export.WriteAsync(caller, tenant, http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }
}
