using Portal.Migration.DryRun;

namespace Portal.Api;

public static class DryRunApi
{
    public static RouteGroupBuilder MapDryRunApi(this RouteGroupBuilder api)
    {
        var runs = api.MapGroup("/endpoints/{id:guid}/dry-runs").WithTags("Migration");

        runs.MapPost("", async (Guid id, Guid? tenantId, DryRunRequest request, HttpContext http, DryRunService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.StartAsync(http.Caller(), tenant, id, request, http.RequestAborted))
                        .ToHttpResult(view => Results.Accepted($"/api/v1/endpoints/{id}/dry-runs/{view.Id}", view))
                    : DeploymentsApi.NoTenant())
            .WithName("StartDryRun")
            .WithSummary("Replays a window of the endpoint's recorded traffic (compressed) against one to five candidate deployments on simulator "
                + "replicas, through the gateway, as dry-run traffic that never counts as production. Answers 202 with the queued run.")
            .Produces<DryRunView>(StatusCodes.Status202Accepted).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        runs.MapGet("", async (Guid id, Guid? tenantId, HttpContext http, DryRunService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.ListAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("ListDryRuns").WithSummary("The endpoint's dry runs, newest first, without their reports.")
            .Produces<IReadOnlyList<DryRunView>>().ProducesProblem(StatusCodes.Status404NotFound);

        runs.MapGet("/{runId:guid}", async (Guid id, Guid runId, Guid? tenantId, HttpContext http, DryRunService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.GetAsync(http.Caller(), tenant, id, runId, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("GetDryRun").WithSummary("One dry run: progress while it runs, the comparison and recommendation once it succeeded.")
            .Produces<DryRunView>().ProducesProblem(StatusCodes.Status404NotFound);

        runs.MapPost("/{runId:guid}/cancel", async (Guid id, Guid runId, Guid? tenantId, HttpContext http, DryRunService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.CancelAsync(http.Caller(), tenant, id, runId, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : DeploymentsApi.NoTenant())
            .WithName("CancelDryRun").WithSummary("Stops a queued or running dry run; its simulators are stopped. 409 when it has finished.")
            .Produces<DryRunView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }
}
