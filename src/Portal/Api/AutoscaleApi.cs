using Portal.Deployments;
using Portal.Identity;

namespace Portal.Api;

public static class AutoscaleApi
{
    /// <summary>Under <c>/deployments</c>: a deployment's autoscale policy and scaling timeline.</summary>
    public static RouteGroupBuilder MapAutoscaleApi(this RouteGroupBuilder deployments)
    {
        deployments.MapGet("/{id:guid}/autoscale", async (Guid id, Guid? tenantId, HttpContext http, AutoscaleService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.GetAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("GetAutoscale").WithSummary("The autoscale policy, baseline, maximum and desired replicas, and the latest scale decisions with their metric.")
            .Produces<AutoscaleView>().ProducesProblem(StatusCodes.Status404NotFound);

        deployments.MapPut("/{id:guid}/autoscale", async (Guid id, AutoscalePolicyView policy, Guid? tenantId, HttpContext http, AutoscaleService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.SetPolicyAsync(http.Caller(), tenant, id, policy, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("SetAutoscale").WithSummary("Set the autoscale policy: target in flight per Ready replica, sustain periods, quiet fraction, cool-down, drain timeout. Audited with before and after.")
            .Produces<AutoscaleView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return deployments;
    }
}
