using System.Text;
using Portal.Audit;
using Portal.Residency;
using Portal.Tenancy;

namespace Portal.Api;

public static class ResidencyApi
{
    public static RouteGroupBuilder MapResidencyApi(this RouteGroupBuilder api)
    {
        var residency = api.MapGroup("/residency").WithTags("Residency");

        residency.MapGet("/", async (Guid? tenantId, HttpContext http, RegionsOverviewService overview) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await overview.GetAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("GetResidency")
            .WithSummary("The tenant's residency policy, each endpoint's lock and effective lock, and every region with its deployments and burst capacity.")
            .Produces<RegionsOverviewView>().ProducesProblem(StatusCodes.Status404NotFound);

        residency.MapPut("/policy", async (RegionLockRequest request, Guid? tenantId, HttpContext http, ResidencyService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? ToHttpResult(await service.SetTenantPolicyAsync(http.Caller(), tenant, request, http.RequestAborted))
                    : DeploymentsApi.NoTenant())
            .WithName("SetResidencyPolicy")
            .WithSummary("Set the tenant's residency policy (jurisdictions and/or regions, or unlock) with a reason; TenantAdmin only. 409 names the running deployments it would strand.")
            .Produces<RegionLockView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        residency.MapPut("/endpoints/{endpointId:guid}/lock", async (Guid endpointId, RegionLockRequest request, Guid? tenantId, HttpContext http,
                ResidencyService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? ToHttpResult(await service.SetEndpointLockAsync(http.Caller(), tenant, endpointId, request, http.RequestAborted))
                    : DeploymentsApi.NoTenant())
            .WithName("SetEndpointRegionLock")
            .WithSummary("Set an endpoint's region lock within the tenant policy, with a reason; TenantAdmin only. 409 names the running deployments it would strand.")
            .Produces<RegionLockView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);

        residency.MapGet("/report", async (DateTimeOffset from, DateTimeOffset to, Guid? tenantId, HttpContext http, ResidencyReportService reports) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await reports.BuildAsync(http.Caller(), tenant, from, to, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("GetResidencyReport")
            .WithSummary("Residency report for a period [from, to): requests per endpoint by region (from the samples), lock history, refused attempts. TenantAdmin and Auditor.")
            .Produces<ResidencyReportView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);

        residency.MapGet("/report/export", ExportAsync)
            .WithName("ExportResidencyReport")
            .WithSummary("The residency report as CSV or JSONL facts (requests, lock_change, refusal); the export is audited.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static async Task<IResult> ExportAsync(DateTimeOffset from, DateTimeOffset to, string? format, Guid? tenantId, HttpContext http,
        ResidencyReportService reports, AuditLog auditLog)
    {
        if (DeploymentsApi.Tenant(http, tenantId) is not { } tenant)
        {
            return DeploymentsApi.NoTenant();
        }

        format = (format ?? "csv").ToLowerInvariant();
        if (format is not ("jsonl" or "csv"))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["Format must be csv or jsonl."] });
        }

        var result = await reports.BuildAsync(http.Caller(), tenant, from, to, http.RequestAborted);
        if (!result.Succeeded)
        {
            return result.ToHttpResult(Results.Ok);
        }

        await auditLog.RecordAsync(http.Caller(), tenant, "residency.report_exported", "residency-report", tenant.ToString(),
            details: new { format, from, to }, cancellationToken: http.RequestAborted);
        http.Response.ContentType = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"residency-{from:yyyyMMdd}-{to:yyyyMMdd}.{format}\"";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false)) { NewLine = "\n" };
        if (format == "csv")
        {
            await ResidencyReportExport.WriteCsvAsync(writer, result.Value!, http.RequestAborted);
        }
        else
        {
            await ResidencyReportExport.WriteJsonlAsync(writer, result.Value!, http.RequestAborted);
        }

        return Results.Empty;
    }

    /// <summary>Like the shared mapping, but a refused lock change lists the stranded deployments as a problem extension.</summary>
    private static IResult ToHttpResult(ServiceResult<RegionLockView> result) =>
        result.Status == ServiceStatus.Conflict && result.Errors?.GetValueOrDefault(ResidencyService.StrandedKey) is { } stranded
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: result.Message,
                extensions: new Dictionary<string, object?> { ["strandedDeployments"] = stranded })
            : result.ToHttpResult(Results.Ok);
}
