using Portal.Inference;

namespace Portal.Api;

public static class InferenceApi
{
    public static RouteGroupBuilder MapInferenceApi(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("API keys");
        keys.MapGet("/", async (Guid? tenantId, HttpContext http, ApiKeyService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("ListApiKeys").WithSummary("Inference keys: prefix, name, scopes, created, last used; never the key.").Produces<IReadOnlyList<ApiKeyView>>();
        keys.MapPost("/", async (CreateApiKeyRequest request, Guid? tenantId, HttpContext http, ApiKeyService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateAsync(http.Caller(), tenant, request, http.RequestAborted)).ToHttpResult(k => Results.Created($"/api/v1/keys/{k.Key.Id}", k))
                    : DeploymentsApi.NoTenant())
            .WithName("CreateApiKey").WithSummary("Create an inference key; the response is the only place the key ever appears.")
            .Produces<CreatedApiKey>(StatusCodes.Status201Created).ProducesValidationProblem();
        keys.MapPost("/{id:guid}/revoke", async (Guid id, Guid? tenantId, HttpContext http, ApiKeyService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.RevokeAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("RevokeApiKey").WithSummary("Revoke a key at once.");
        keys.MapPost("/{id:guid}/rotate", async (Guid id, RotateApiKeyRequest request, Guid? tenantId, HttpContext http, ApiKeyService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.RotateAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("RotateApiKey").WithSummary("Issue a replacement key; the old one keeps working for the overlap (minutes, default 60).");

        var endpoints = api.MapGroup("/endpoints").WithTags("Endpoints");
        endpoints.MapGet("/", async (Guid? tenantId, HttpContext http, EndpointService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("ListEndpoints").WithSummary("Endpoints with their primary and secondary targets and shadow share.").Produces<IReadOnlyList<EndpointView>>();
        endpoints.MapGet("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, EndpointService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.GetAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("GetEndpoint").Produces<EndpointView>();
        endpoints.MapPost("/serverless", async (CreateServerlessEndpointRequest request, Guid? tenantId, HttpContext http, EndpointService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateServerlessAsync(http.Caller(), tenant, request, http.RequestAborted)).ToHttpResult(e => Results.Created($"/api/v1/endpoints/{e.Id}", e))
                    : DeploymentsApi.NoTenant())
            .WithName("CreateServerlessEndpoint").WithSummary("Serve a model from an external OpenAI-compatible service (its key is stored encrypted).");
        endpoints.MapPost("/{id:guid}/shadow", async (Guid id, ShadowRequest request, Guid? tenantId, HttpContext http, EndpointService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.SetShadowAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("SetEndpointShadow").WithSummary("Copy a share (0–0.5) of requests to the secondary target; responses are discarded.");
        endpoints.MapPost("/{id:guid}/flip", async (Guid id, Guid? tenantId, HttpContext http, EndpointService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.FlipAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("FlipEndpoint").WithSummary("Swap primary and secondary; flip again to roll back.");
        endpoints.MapPut("/{id:guid}/requirements", async (Guid id, EndpointRequirements request, Guid? tenantId, HttpContext http, EndpointService service) =>
                DeploymentsApi.Tenant(http, tenantId) is { } tenant ? (await service.SetRequirementsAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : DeploymentsApi.NoTenant())
            .WithName("SetEndpointRequirements")
            .WithSummary("State what the endpoint needs that only dedicated gives: custom weights, a quantization, residency, a concurrency floor.")
            .Produces<EndpointView>().ProducesValidationProblem();
        return api;
    }
}
