using Portal.Gateway;
using Portal.Gateway.Seams;
using Portal.Inference;

namespace Portal.Hosting;

/// <summary>The OpenAI-compatible data plane, in-process at /v1, fed from an in-memory snapshot of the database.</summary>
public static class GatewaySetup
{
    public static IHostApplicationBuilder AddPortalInference(this IHostApplicationBuilder builder)
    {
        builder.AddPortalGateway();
        builder.Services.AddSingleton<GatewaySnapshot>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewaySnapshot>());
        builder.Services.AddSingleton<IGatewayDirectory>(sp => sp.GetRequiredService<GatewaySnapshot>());
        builder.Services.AddSingleton<IReplicaStateProvider>(sp => sp.GetRequiredService<GatewaySnapshot>());
        builder.Services.AddSingleton<ISampleSink, DatabaseSampleSink>();
        builder.Services.AddScoped<ApiKeyService>();
        builder.Services.AddScoped<EndpointService>();
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
