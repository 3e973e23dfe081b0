namespace Portal.Hosting;

/// <summary>What this process runs (<c>Portal:Role</c>).</summary>
public enum PortalRole
{
    /// <summary>Everything: pages, management API, jobs and the gateway at /v1 (the default, one process).</summary>
    All,

    /// <summary>Only the OpenAI-compatible data plane at /v1, on the same database: run N of these behind a load balancer.</summary>
    Gateway,
}

public static class PortalRoleExtensions
{
    public static PortalRole GetPortalRole(this IConfiguration configuration) => configuration.GetValue("Portal:Role", PortalRole.All);

    /// <summary>A gateway-only process: no pages, no jobs, no identity server; keys and routes come from the database.</summary>
    public static async Task RunGatewayOnlyAsync(this WebApplicationBuilder builder)
    {
        builder.AddPortalProxySupport();
        builder.AddPortalData();
        builder.AddPortalTelemetry();
        builder.AddPortalHealthChecks(withJobs: false);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddPortalDataPlane();
        // ASP.NET Core starts an activity and a logging scope for every request while this category logs at any level,
        // only to log each request's start and end (Information, filtered out anyway). This process has no pages and no
        // audit trail to correlate, and keeps no per-request logs; with OTLP tracing on, the activity is still started.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var app = builder.Build();
        app.UsePortalProxySupport();
        app.MapPortalHealthChecks();
        app.MapPortalInference();
        await app.RunAsync();
    }
}
