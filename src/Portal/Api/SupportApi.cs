using Portal.Support;

namespace Portal.Api;

public sealed record LookInRequest(Guid TenantId, string? Reason);

public static class SupportApi
{
    public static RouteGroupBuilder MapSupportApi(this RouteGroupBuilder api)
    {
        var support = api.MapGroup("/support").WithTags("Support");

        support.MapGet("/tenants", async (HttpContext http, LookInService lookIns) =>
                (await lookIns.ListTenantsAsync(http.Caller(), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithName("ListTenantsForSupport").WithSummary("Every tenant, for platform support staff.");

        support.MapPost("/look-ins", async (LookInRequest request, HttpContext http, LookInService lookIns) =>
                (await lookIns.StartAsync(http.Caller(), request.TenantId, request.Reason, http.RequestAborted))
                    .ToHttpResult(l => Results.Created($"/api/v1/support/look-ins/{l.Id}", new { l.Id, l.TenantId, l.ExpiresAt })))
            .WithName("StartLookIn")
            .WithSummary("Look into a tenant for a limited time, with a reason; recorded in that tenant's audit log.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }
}
