using Microsoft.Extensions.Options;
using Portal.Core.Cost;
using Portal.Core.Tenancy;
using Portal.Migration;

namespace Portal.Api;

public static class MigrationApi
{
    public static RouteGroupBuilder MapMigrationApi(this RouteGroupBuilder api)
    {
        api.MapGet("/break-even", ([AsParameters] BreakEvenQuery query, Guid? tenantId, HttpContext http, IOptions<GpuPricing> pricing) =>
            {
                var caller = http.Caller();
                if (DeploymentsApi.Tenant(http, tenantId) is not { } tenant || caller.In(tenant) is not { } access)
                {
                    return DeploymentsApi.NoTenant();
                }

                if (!AccessPolicy.CanUse(Area.Migration, access.Role, caller.IsSupport))
                {
                    return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The migration area is not open to your role.");
                }

                var (input, errors) = query.ToInput(pricing.Value);
                return input is null ? Results.ValidationProblem(errors) : Results.Ok(BreakEvenResponse.From(BreakEven.Compute(input)));
            })
            .WithTags("Migration").WithName("GetBreakEven")
            .WithSummary("Monthly cost of serverless (per-token prices × volume) against a dedicated configuration (GPU-hours × 730): the crossing volume, capacity at a utilisation, and chart points.")
            .Produces<BreakEvenResponse>().ProducesValidationProblem();

        api.MapPost("/endpoints/{id:guid}/migration", async (Guid id, Guid? tenantId, HttpContext http, MigrationService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.PlanAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithTags("Migration").WithName("PlanEndpointMigration")
            .WithSummary("Start migration: the smallest configuration that fits the serverless endpoint's model inside the region lock, as a deployment spec. "
                + "POST it to /api/v1/deployments?shadowFor={id}&shadowShare=0.1 to deploy it as the endpoint's shadow target.")
            .Produces<MigrationPlan>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }
}
