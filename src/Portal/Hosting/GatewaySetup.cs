using Portal.Deployments;
using Portal.Gateway;
using Portal.Gateway.Seams;
using Portal.Inference;
using Portal.Residency;

namespace Portal.Hosting;

/// <summary>The OpenAI-compatible data plane, in-process at /v1, fed from an in-memory snapshot of the database.</summary>
public static class GatewaySetup
{
    /// <summary>The data plane and the management of keys and endpoints (the full portal).</summary>
    public static IHostApplicationBuilder AddPortalInference(this IHostApplicationBuilder builder)
    {
        builder.AddPortalDataPlane();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddScoped<EndpointService>();
        return builder;
    }

    /// <summary>Only what serves /v1: the gateway, its routing snapshot and its sample writer.</summary>
    public static IHostApplicationBuilder AddPortalDataPlane(this IHostApplicationBuilder builder)
    {
        builder.AddPortalGateway();
        // The snapshot unprotects each replica's key to authenticate the gateway to it.
        builder.Services.AddSingleton<ReplicaKeys>();
        builder.Services.AddSingleton<GatewaySnapshot>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewaySnapshot>());
        builder.Services.AddSingleton<IGatewayDirectory>(sp => sp.GetRequiredService<GatewaySnapshot>());
        builder.Services.AddSingleton<IReplicaStateProvider>(sp => sp.GetRequiredService<GatewaySnapshot>());
        builder.Services.AddSingleton<ISampleSink, DatabaseSampleSink>();
        builder.Services.AddSingleton<GatewayResidencyRefusals>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewayResidencyRefusals>());
        // YARP logs every forwarded request at Information; the data plane keeps no per-request logs (zero retention).
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        return builder;
    }

    public static WebApplication MapPortalInference(this WebApplication app)
    {
        app.MapPortalGateway("/v1");
        return app;
    }
}
