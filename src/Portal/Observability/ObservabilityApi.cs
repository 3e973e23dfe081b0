using Portal.Api;
using Portal.Identity;

namespace Portal.Observability;

/// <summary>The numbers of the TTFT and migration pages as JSON (docs/observability-api.md).</summary>
public static class ObservabilityApi
{
    public static RouteGroupBuilder MapObservabilityApi(this RouteGroupBuilder api)
    {
        api.MapGet("/observability/ttft", async (string? model, string? window, string? tier, string? region, Guid? endpointId, Guid? tenantId,
                    HttpContext http, TtftService service) =>
                DeploymentsApi.Tenant(http, tenantId) is not { } tenant ? DeploymentsApi.NoTenant()
                : string.IsNullOrWhiteSpace(model) ? Results.ValidationProblem(new Dictionary<string, string[]> { ["model"] = ["Name the model (the endpoint name programs send)."] })
                : (await service.GetAsync(http.Caller(), tenant, new TtftQuery(model, window, tier, region, endpointId), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithTags("Observability").WithName("GetTtft")
            .WithSummary("TTFT of one model over 1h, 24h, 7d or 30d: percentiles, vLLM-bucket histogram, p50/p99 series, tiers, cold starts.")
            .Produces<TtftReport>().ProducesValidationProblem();

        api.MapGet("/signals", async (string? model, Guid? tenantId, HttpContext http, SignalsService service) =>
                DeploymentsApi.Tenant(http, tenantId) is not { } tenant ? DeploymentsApi.NoTenant()
                : string.IsNullOrWhiteSpace(model)
                    ? (await service.FleetAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : (await service.GetAsync(http.Caller(), tenant, model, http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithTags("Observability").WithName("GetSignals")
            .WithSummary("Migration signals and recommendation of one model; without a model, every model of the tenant (fleet overview).")
            .Produces<SignalsReport>().Produces<FleetReport>();
        return api;
    }
}
