using System.Text.Json.Serialization;
using MudBlazor.Services;
using Portal.Api;
using Portal.Components;
using Portal.Observability;
using Portal.Tenancy;

namespace Portal.Hosting;

public static class WebSetup
{
    public static IHostApplicationBuilder AddPortalWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents()
            .AddInteractiveServerComponents(options =>
            {
                options.DisconnectedCircuitMaxRetained = 100;
                options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
                options.JSInteropDefaultCallTimeout = TimeSpan.FromMinutes(1);
                options.MaxBufferedUnacknowledgedRenderBatches = 10;
                options.DetailedErrors = builder.Environment.IsDevelopment();
            })
            .AddHubOptions(options =>
            {
                options.MaximumReceiveMessageSize = 64 * 1024;
                options.MaximumParallelInvocationsPerClient = 1;
                options.ClientTimeoutInterval = TimeSpan.FromSeconds(60);
                options.HandshakeTimeout = TimeSpan.FromSeconds(15);
            });
        services.AddMudServices();
        services.AddSingleton<Portal.Components.Layout.ThemeStyles>();
        services.AddProblemDetails();
        services.AddBadRequestProblems();
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Portal management API";
            document.Info.Description = "Manage tenants, members and (as they arrive) deployments, endpoints, keys and reports. " +
                "Authenticate with an OAuth2 bearer token from /connect/token or with the portal's session cookie.";
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton(TimeProvider.System);
        services.AddScoped<TenantGuard>();
        services.AddScoped<TenantChangeRunner>();
        services.AddScoped<MemberService>();
        services.AddScoped<SignInPolicyService>();
        services.AddScoped<InvitationService>();
        services.AddHttpContextAccessor();
        return builder;
    }

    public static WebApplication MapPortalWeb(this WebApplication app)
    {
        app.MapOpenApi();
        app.MapStaticAssets();
        app.MapRazorComponents<App>()
            // Our own policy (frame-ancestors 'none') is set for every response; do not add a second header.
            .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
        return app;
    }

    public static WebApplication MapPortalApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1").WithPortalCaller();
        api.MapMeApi();
        api.MapMembersApi();
        api.MapSignInPolicyApi();
        api.MapAuditApi();
        api.MapSupportApi();
        api.MapQuotasApi();
        api.MapPlatformTenantsApi();
        api.MapTenantExportApi();
        api.MapPlatformInvitationsApi();
        api.MapPlatformAccountsApi();
        api.MapDeploymentsApi();
        api.MapWeightCredentialsApi();
        api.MapResidencyApi();
        api.MapInferenceApi();
        api.MapMigrationApi();
        api.MapDryRunApi();
        api.MapPipelinesApi();
        api.MapHealthApi();
        api.MapNotificationsApi();
        api.MapObservabilityApi();
        api.MapUsageApi();
        app.MapAuditPublicKey();
        return app;
    }
}
