using Portal.Notifications;
using Portal.Tenancy;
using static Portal.Api.DeploymentsApi;

namespace Portal.Api;

public static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/notifications").WithTags("Notifications");
        var channels = notifications.MapGroup("/channels");

        channels.MapGet("/", async (Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.ListAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListNotificationChannels").WithSummary("The tenant's email and chat channels and the notice kinds each receives; chat URLs masked.")
            .Produces<IReadOnlyList<NotificationChannelView>>();

        channels.MapPost("/", async (NotificationChannelRequest request, Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.CreateAsync(http.Caller(), tenant, request, http.RequestAborted))
                        .ToHttpResult(c => Results.Created($"/api/v1/notifications/channels/{c.Id}", c))
                    : NoTenant())
            .WithName("CreateNotificationChannel")
            .WithSummary("Add a channel: {name, type: email, emailTo: [...] or toTenantAdmins: true} or {name, type: chat, url}; kinds optional (TenantAdmin; audited).")
            .Produces<NotificationChannelView>(StatusCodes.Status201Created).ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        channels.MapPut("/{id:guid}", async (Guid id, NotificationChannelRequest request, Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.UpdateAsync(http.Caller(), tenant, id, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("UpdateNotificationChannel").WithSummary("Change a channel's name, kinds, addresses or URL; what is omitted stays (TenantAdmin; audited).")
            .Produces<NotificationChannelView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        channels.MapDelete("/{id:guid}", async (Guid id, Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.DeleteAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("DeleteNotificationChannel").WithSummary("Remove a channel (TenantAdmin; audited).")
            .Produces<NotificationChannelView>().ProducesProblem(StatusCodes.Status404NotFound);

        channels.MapPost("/{id:guid}/test", async (Guid id, Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.TestAsync(http.Caller(), tenant, id, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("TestNotificationChannel").WithSummary("Send a test message now; the answer is the attempt's log row (status Sent or Failed, with the error).")
            .Produces<NotificationDeliveryView>().ProducesProblem(StatusCodes.Status404NotFound);

        notifications.MapGet("/deliveries", async (Guid? tenantId, int? limit, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.DeliveriesAsync(http.Caller(), tenant, limit ?? 100, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("ListNotificationDeliveries")
            .WithSummary("The delivery log, newest first: channel, kind, notice key, status (Pending, Held, Retrying, Sent, Failed), attempts, last error.")
            .Produces<IReadOnlyList<NotificationDeliveryView>>();

        notifications.MapGet("/settings", async (Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant ? (await service.GetSettingsAsync(http.Caller(), tenant, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("GetNotificationSettings").WithSummary("Quiet hours, digest and whether incidents always send.")
            .Produces<NotificationSettingsView>();

        notifications.MapPut("/settings", async (NotificationSettingsView request, Guid? tenantId, HttpContext http, NotificationService service) =>
                Tenant(http, tenantId) is { } tenant
                    ? (await service.SetSettingsAsync(http.Caller(), tenant, request, http.RequestAborted)).ToHttpResult(Results.Ok) : NoTenant())
            .WithName("SetNotificationSettings")
            .WithSummary("{timeZone: \"Europe/Berlin\", quietStart: \"22:00\", quietEnd: \"07:00\", digestOnly: false, digestHour: 8, incidentsAlwaysSend: false} (TenantAdmin; audited).")
            .Produces<NotificationSettingsView>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);

        return api;
    }
}
