using Portal.Quotas;

namespace Portal.Api;

public static class QuotasApi
{
    public static RouteGroupBuilder MapQuotasApi(this RouteGroupBuilder api)
    {
        api.MapGet("/quotas", async (Guid? tenantId, HttpContext http, QuotaService quotas) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await quotas.GetAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithTags("Quotas").WithName("GetQuotas")
            .WithSummary("The tenant's quotas (limit, platform default, the operator's override) and what it uses of each (TenantAdmin).")
            .Produces<QuotasView>().ProducesProblem(StatusCodes.Status403Forbidden);

        var platform = api.MapGroup("/platform/tenants/{tenantId:guid}/quotas").WithTags("Platform");

        platform.MapGet("/", async (Guid tenantId, HttpContext http, QuotaService quotas) =>
                (await quotas.GetAsync(http.Caller(), tenantId, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("GetTenantQuotas").WithSummary("A tenant's quotas and use, for platform operators and support staff.")
            .Produces<QuotasView>().ProducesProblem(StatusCodes.Status404NotFound);

        platform.MapPut("/", async (Guid tenantId, SetQuotasRequest request, HttpContext http, QuotaService quotas) =>
                (await quotas.SetAsync(http.Caller(), tenantId, request, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("SetTenantQuotas")
            .WithSummary("Set a tenant's quotas (platform Operator only; audited). A null quota goes back to the platform default.")
            .WithDescription("Lowering a quota below what the tenant uses keeps what exists; only new deployments, scale-ups, endpoints, keys, "
                + "webhooks and pipelines past it are refused.")
            .Produces<QuotasView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }
}
