using System.Globalization;
using Portal.Core.Sla;
using Portal.Health;
using static Portal.Api.DeploymentsApi;

namespace Portal.Api;

public static class HealthApi
{
    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder api)
    {
        api.MapGet("/health", async (Guid? tenantId, HttpContext http, SlaService sla) =>
                Tenant(http, tenantId) is { } tenant ? (await sla.ListAsync(http.Caller(), tenant, null, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithTags("Health").WithName("GetHealth").WithSummary("Each endpoint: up or down by the latest probe, open incidents, this month's SLA.")
            .Produces<IReadOnlyList<EndpointSlaView>>();

        var incidents = api.MapGroup("/incidents").WithTags("Health");
        incidents.MapGet("/", async (Guid? tenantId, bool? open, HttpContext http, SlaService sla) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await sla.IncidentsAsync(http.Caller(), tenant, open ?? false, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListIncidents").WithSummary("Incidents, newest first, with their timelines; open=true for open ones only.")
            .Produces<IReadOnlyList<IncidentView>>();
        incidents.MapGet("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, SlaService sla) =>
                Tenant(http, tenantId) is { } tenant ? (await sla.IncidentAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetIncident").WithSummary("One incident and its timeline.").Produces<IncidentView>().ProducesProblem(StatusCodes.Status404NotFound);

        var slaGroup = api.MapGroup("/sla").WithTags("Health");
        slaGroup.MapGet("/", async (Guid? tenantId, string? month, HttpContext http, SlaService sla) =>
                ParseMonth(month, out var parsed) is { } bad ? bad
                : Tenant(http, tenantId) is { } tenant ? (await sla.ListAsync(http.Caller(), tenant, parsed, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListSla").WithSummary("Monthly uptime against the target, error budget left, burn rate and credit tier per endpoint (month=YYYY-MM).")
            .Produces<IReadOnlyList<EndpointSlaView>>().ProducesValidationProblem();
        slaGroup.MapGet("/{endpointId:guid}", async (Guid endpointId, Guid? tenantId, string? month, HttpContext http, SlaService sla) =>
                ParseMonth(month, out var parsed) is { } bad ? bad
                : Tenant(http, tenantId) is { } tenant
                    ? (await sla.GetAsync(http.Caller(), tenant, endpointId, parsed, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetEndpointSla").WithSummary("One endpoint's SLA month, its incidents and the cold starts its probes detected.")
            .Produces<EndpointSlaDetail>().ProducesProblem(StatusCodes.Status404NotFound);

        var objective = api.MapGroup("/endpoints/{endpointId:guid}/latency-objective").WithTags("Health");
        objective.MapGet("/", async (Guid endpointId, Guid? tenantId, HttpContext http, LatencyObjectiveService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.GetAsync(http.Caller(), tenant, endpointId, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetLatencyObjective")
            .WithSummary("The endpoint's TTFT objective and how it stands now: measured percentile, latency budget left, burn rates (404 when none is set).")
            .Produces<LatencyObjectiveView>().ProducesProblem(StatusCodes.Status404NotFound);
        objective.MapPut("/", async (Guid endpointId, LatencyObjectiveRequest request, Guid? tenantId, HttpContext http, LatencyObjectiveService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.SetAsync(http.Caller(), tenant, endpointId, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("SetLatencyObjective")
            .WithSummary("Set the endpoint's TTFT objective, e.g. {thresholdMs: 800, percentile: 99, windowDays: 30} (TenantAdmin; audited).")
            .Produces<LatencyObjectiveView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        objective.MapDelete("/", async (Guid endpointId, Guid? tenantId, HttpContext http, LatencyObjectiveService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.DeleteAsync(http.Caller(), tenant, endpointId, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteLatencyObjective").WithSummary("Remove the endpoint's TTFT objective (TenantAdmin; audited).")
            .Produces<LatencyObjectiveView>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);

        var targets = api.MapGroup("/targets").WithTags("Health");
        targets.MapGet("/{id:guid}/probes", async (Guid id, Guid? tenantId, HttpContext http, ProbeSettingsService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.GetAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetTargetProbes").WithSummary("How a target is probed: TTFT probes (and their monthly cost for a serverless target), the idle gap and where it comes from.")
            .Produces<ProbeSettingsView>().ProducesProblem(StatusCodes.Status404NotFound);
        targets.MapPut("/{id:guid}/probes", async (Guid id, ProbeSettingsRequest request, Guid? tenantId, HttpContext http, ProbeSettingsService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.SetAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("SetTargetProbes").WithSummary("Opt a serverless target in to (or out of) TTFT probes, and set or clear its idle gap (TenantAdmin).")
            .Produces<ProbeSettingsView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        var webhooks = api.MapGroup("/webhooks").WithTags("Health");
        webhooks.MapGet("/", async (Guid? tenantId, HttpContext http, WebhookService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListWebhooks").WithSummary("The tenant's incident webhooks (secrets are never shown again).").Produces<IReadOnlyList<WebhookView>>();
        webhooks.MapPost("/", async (WebhookRequest request, Guid? tenantId, HttpContext http, WebhookService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateAsync(http.Caller(), tenant, request, http.RequestAborted)).ToHttpResult(w => Results.Created($"/api/v1/webhooks/{w.Id}", w))
                    : NoTenant())
            .WithName("CreateWebhook").WithSummary("Add a webhook; the answer carries its signing secret, once.")
            .Produces<CreatedWebhook>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        webhooks.MapDelete("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, WebhookService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteWebhook").WithSummary("Remove a webhook.").Produces<WebhookView>().ProducesProblem(StatusCodes.Status404NotFound);

        var maintenance = api.MapGroup("/maintenance-windows").WithTags("Health");
        maintenance.MapGet("/", async (Guid? tenantId, HttpContext http, MaintenanceService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListMaintenanceWindows").WithSummary("Planned maintenance per endpoint, excluded from the SLA.").Produces<IReadOnlyList<MaintenanceWindowView>>();
        maintenance.MapPost("/", async (MaintenanceWindowRequest request, Guid? tenantId, HttpContext http, MaintenanceService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateAsync(http.Caller(), tenant, request, http.RequestAborted))
                        .ToHttpResult(w => Results.Created($"/api/v1/maintenance-windows/{w.Id}", w))
                    : NoTenant())
            .WithName("CreateMaintenanceWindow").WithSummary("Plan maintenance on an endpoint (at most 24 h).")
            .Produces<MaintenanceWindowView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        maintenance.MapDelete("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, MaintenanceService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteMaintenanceWindow").WithSummary("Cancel a maintenance window.").Produces<MaintenanceWindowView>();

        api.MapGet("/support/fleet", async (HttpContext http, SlaService sla) => (await sla.FleetAsync(http.Caller(), http.RequestAborted)).ToHttpResult(Results.Ok))
            .WithTags("Support").WithName("GetFleetHealth").WithSummary("Every tenant's endpoints with health, open incidents and SLA risk (support staff).")
            .Produces<IReadOnlyList<FleetEndpointView>>().ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    private static IResult? ParseMonth(string? month, out SlaMonth? parsed)
    {
        parsed = null;
        if (month is null)
        {
            return null;
        }

        if (DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            parsed = new SlaMonth(date.Year, date.Month);
            return null;
        }

        return Results.ValidationProblem(new Dictionary<string, string[]> { ["month"] = ["Give the month as YYYY-MM, e.g. 2026-11."] });
    }
}
