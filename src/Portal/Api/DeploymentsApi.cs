using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Deployments;
using Portal.Deployments;
using Portal.Identity;
using Portal.Migration;
using Portal.Tenancy;

namespace Portal.Api;

/// <summary>What a dry run of the wizard's checks answers: the field errors, or the fit, the cost and what would run.</summary>
public sealed record DeploymentCheckResponse(
    bool Valid, IReadOnlyDictionary<string, string[]> Errors, FitView? Fit, decimal? PricePerGpuHour, decimal? MonthlyCostUsd,
    string? CommandLine, string? KubernetesManifest);

public sealed record FitView(double WeightsGiB, double KvCacheGiB, double ReserveGiB, double NeededGiB, double AvailableGiB, bool Fits);

public sealed record CatalogResponse(IReadOnlyList<ModelDefinition> Models, IReadOnlyList<GpuType> Gpus, IReadOnlyList<Region> Regions,
    IReadOnlyDictionary<string, decimal> PricePerGpuHourUsd);

public static class DeploymentsApi
{
    public static RouteGroupBuilder MapDeploymentsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/catalog", (ModelCatalog catalog, IOptions<GpuPricing> pricing) =>
                TypedResults.Ok(new CatalogResponse(catalog.Models, catalog.Gpus, catalog.Regions, pricing.Value.PerGpuHourUsd)))
            .WithTags("Deployments").WithName("GetCatalog").WithSummary("Models, GPU types, regions and prices the wizard offers.");

        var deployments = api.MapGroup("/deployments").WithTags("Deployments");

        deployments.MapPost("/check", async (DeploymentSpec spec, Guid? tenantId, HttpContext http, DeploymentService service) =>
            {
                // The checks read the tenant's names in use and its region lock: only its own members may run them.
                if (Tenant(http, tenantId) is not { } tenant || http.Caller().In(tenant) is null)
                {
                    return NoTenant();
                }

                var validation = await service.ValidateAsync(tenant, spec, ct: http.RequestAborted);
                var resolved = validation.Deployment;
                var price = resolved is null ? null : service.PricePerGpuHour(resolved.Gpu.Id, resolved.Region.Id);
                var rendered = resolved is null ? default : service.Render(resolved, tenant, Guid.Empty, resolved.BaselineReplicas);
                return Results.Ok(new DeploymentCheckResponse(validation.IsValid, validation.ToProblemErrors(),
                    resolved is null ? null : new FitView(resolved.Fit.WeightsGiB, resolved.Fit.KvCacheGiB, resolved.Fit.ReserveGiB,
                        resolved.Fit.NeededGiB, resolved.Fit.AvailableGiB, resolved.Fit.Fits),
                    price, price is null || resolved is null ? null : CostCalculator.DedicatedMonthlyUsd(resolved.BaselineReplicas, resolved.GpusPerReplica, price.Value),
                    rendered.CommandLine, rendered.Manifest));
            })
            .WithName("CheckDeployment").WithSummary("Run the wizard's checks on a spec without deploying: errors, or fit, cost, command line and manifest.");

        deployments.MapPost("/", async (DeploymentSpec spec, Guid? tenantId, Guid? shadowFor, double? shadowShare, HttpContext http,
                DeploymentService service, MigrationService migration) =>
                Tenant(http, tenantId) is { } tenant
                    ? (shadowFor is { } endpoint
                            ? await migration.StartAsync(http.Caller(), tenant, endpoint, spec, shadowShare ?? MigrationService.DefaultShadowShare, http.RequestAborted)
                            : await service.CreateAsync(http.Caller(), tenant, spec, http.RequestAborted))
                        .ToHttpResult(d => Results.Created($"/api/v1/deployments/{d.Id}", d))
                    : NoTenant())
            .WithName("CreateDeployment").WithSummary("Deploy: the same checks and messages as the wizard; 201 with the deployment, then replicas start.")
            .WithDescription("With shadowFor (a serverless-primary endpoint's id) the deployment starts that endpoint's migration: it becomes the "
                + "endpoint's secondary target and shadowShare (0.10–0.20, default 0.10) of its requests are copied to it.")
            .Produces<DeploymentView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        deployments.MapGet("/", async (Guid? tenantId, HttpContext http, DeploymentService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListDeployments").WithSummary("The tenant's deployments.").Produces<IReadOnlyList<DeploymentView>>();

        deployments.MapGet("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, DeploymentService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.GetAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetDeployment").WithSummary("A deployment with its replicas, events, command line and manifest.")
            .Produces<DeploymentDetailView>().ProducesProblem(StatusCodes.Status404NotFound);

        deployments.MapPost("/{id:guid}/scale", async (Guid id, ScaleRequest request, Guid? tenantId, HttpContext http, DeploymentService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ScaleAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ScaleDeployment").WithSummary("Set the baseline (and optionally maximum) replicas.");

        MapAction(deployments, "stop", "StopDeployment", "Stop every replica; the desired state is kept.", (s, c, t, i, ct) => s.StopAsync(c, t, i, ct));
        MapAction(deployments, "start", "StartDeployment", "Start a stopped deployment again.", (s, c, t, i, ct) => s.StartAsync(c, t, i, ct));
        MapAction(deployments, "restart", "RestartDeployment", "Replace every replica.", (s, c, t, i, ct) => s.RestartAsync(c, t, i, ct));

        deployments.MapDelete("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, DeploymentService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteDeployment").WithSummary("Delete: replicas stop, the endpoint goes; history and cost stay.");
        deployments.MapAutoscaleApi();
        deployments.MapReplicaLogsApi();
        return api;
    }

    private static void MapAction(RouteGroupBuilder group, string verb, string name, string summary,
        Func<DeploymentService, Caller, Guid, Guid, CancellationToken, Task<ServiceResult<DeploymentView>>> action) =>
        group.MapPost($"/{{id:guid}}/{verb}", async (Guid id, Guid? tenantId, HttpContext http, DeploymentService service) =>
                Tenant(http, tenantId) is { } tenant ? (await action(service, http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName(name).WithSummary(summary).Produces<DeploymentView>().ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>The tenant a call acts in: the one named, else the caller's first.</summary>
    internal static Guid? Tenant(HttpContext http, Guid? requested) => requested ?? http.Caller().Tenants.FirstOrDefault()?.TenantId;

    internal static IResult NoTenant() =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "No tenant to act in.");
}
