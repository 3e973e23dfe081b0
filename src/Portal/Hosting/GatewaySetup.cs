using Portal.Deployments;
using Portal.Migration.DryRun;
using Portal.Gateway;
using Portal.Gateway.Seams;
using Portal.Inference;
using Portal.Residency;

namespace Portal.Hosting;

/// <summary>The OpenAI-compatible data plane, in-process at /v1, fed from an in-memory snapshot of the database.</summary>
public static class GatewaySetup
{
    /// <summary>Where the OpenAI-compatible API is served.</summary>
    public const string Prefix = "/v1";

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
        builder.Services.AddSingleton<DryRunTraffic>();
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

    /// <summary>
    /// Maps /v1 and lets it leave the pipeline at this point; call it before <see cref="SecuritySetup.UsePortalSecurity"/>.
    /// The data plane authenticates inference keys itself and needs none of the pages' middleware. Behind the cookie and
    /// OAuth handlers, a <c>pk_…</c> key sent as a bearer token was taken for a possible OAuth reference token and looked
    /// up in the database on every request (and any made-up bearer token made the portal query its database).
    /// </summary>
    public static WebApplication MapPortalInference(this WebApplication app)
    {
        app.MapPortalGateway(Prefix);
        app.MapWhen(http => http.Request.Path.StartsWithSegments(Prefix), dataPlane => dataPlane.Run(RunEndpointAsync));
        return app;
    }

    /// <summary>Routing runs first in the pipeline, so the /v1 endpoint (or the 405 for a wrong method) is already chosen.</summary>
    private static Task RunEndpointAsync(HttpContext http)
    {
        if (http.GetEndpoint()?.RequestDelegate is { } endpoint)
        {
            return endpoint(http);
        }

        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }
}
