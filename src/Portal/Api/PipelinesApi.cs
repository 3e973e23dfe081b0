using Portal.Pipelines;

namespace Portal.Api;

public static class PipelinesApi
{
    public static RouteGroupBuilder MapPipelinesApi(this RouteGroupBuilder api)
    {
        var pipelines = api.MapGroup("/pipelines").WithTags("Pipelines");
        pipelines.MapGet("/", async (Guid? tenantId, HttpContext http, PipelineService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("ListPipelines").WithSummary("Compound pipelines: ordered stages, each an endpoint with a critical-path flag.")
            .Produces<IReadOnlyList<PipelineView>>();
        pipelines.MapGet("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, PipelineService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.GetAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("GetPipeline").Produces<PipelineView>().ProducesProblem(StatusCodes.Status404NotFound);
        pipelines.MapGet("/{id:guid}/cascade", async (Guid id, Guid? tenantId, HttpContext http, PipelineService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.ReportAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("GetPipelineCascade")
            .WithSummary("Worst-case cascading cold start (sum over critical-path serverless stages of the largest observed cold-start TTFT in 7 days, else the estimate) and the fewest stages to move under the budget.")
            .Produces<CascadeReportView>().ProducesProblem(StatusCodes.Status404NotFound);
        pipelines.MapPost("/", async (PipelineRequest request, Guid? tenantId, HttpContext http, PipelineService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateAsync(http.Caller(), tenant, request, http.RequestAborted)).ToHttpResult(p => Results.Created($"/api/v1/pipelines/{p.Id}", p))
                    : DeploymentsApi.NoTenant())
            .WithName("CreatePipeline").WithSummary("Define a pipeline (TenantAdmin, Developer); audited.")
            .Produces<PipelineView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        pipelines.MapPut("/{id:guid}", async (Guid id, PipelineRequest request, Guid? tenantId, HttpContext http, PipelineService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.UpdateAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("UpdatePipeline").WithSummary("Replace a pipeline's name, budget and stages; audited with before and after.")
            .Produces<PipelineView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        pipelines.MapDelete("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, PipelineService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("DeletePipeline").WithSummary("Delete a pipeline; audited.").ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }
}
