using Portal.Core.Deployments;
using Portal.Deployments;
using Portal.Tenancy;
using static Portal.Api.DeploymentsApi;

namespace Portal.Api;

public static class WeightCredentialsApi
{
    public static RouteGroupBuilder MapWeightCredentialsApi(this RouteGroupBuilder api)
    {
        var credentials = api.MapGroup("/weight-credentials").WithTags("Weight credentials");

        credentials.MapGet("/", async (Guid? tenantId, HttpContext http, WeightCredentialService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListWeightCredentials").WithSummary("The tenant's credentials for private weights (TenantAdmin); values are never shown again.")
            .Produces<IReadOnlyList<WeightCredentialView>>().ProducesProblem(StatusCodes.Status403Forbidden);

        credentials.MapPost("/", async (WeightCredentialInput request, Guid? tenantId, HttpContext http, WeightCredentialService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateAsync(http.Caller(), tenant, request, http.RequestAborted))
                        .ToHttpResult(c => Results.Created($"/api/v1/weight-credentials/{c.Credential.Id}", c))
                    : NoTenant())
            .WithName("CreateWeightCredential")
            .WithSummary("Store the tenant's Hugging Face token or object-store keys (one of each kind); the answer shows the values, once.")
            .Produces<StoredWeightCredential>(StatusCodes.Status201Created).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);

        credentials.MapPut("/{id:guid}", async (Guid id, WeightCredentialInput request, Guid? tenantId, HttpContext http, WeightCredentialService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.RotateAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok)
                    : NoTenant())
            .WithName("RotateWeightCredential").WithSummary("Replace a credential's values; replicas started afterwards use the new ones.")
            .Produces<StoredWeightCredential>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        credentials.MapDelete("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, WeightCredentialService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteWeightCredential").WithSummary("Remove a credential; deployments from private sources of its kind can no longer start replicas.")
            .Produces<WeightCredentialView>().ProducesProblem(StatusCodes.Status404NotFound);

        return api;
    }
}
