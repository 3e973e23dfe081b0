using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Data;

namespace Portal.Hosting;

public static class HealthSetup
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddPortalHealthChecks(this IHostApplicationBuilder builder, bool withJobs = true)
    {
        var checks = builder.Services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database", tags: [Ready]);
        if (withJobs)
        {
            checks.AddCheck<HangfireServerCheck>("jobs", tags: [Ready]);
        }

        return builder;
    }

    public static WebApplication MapPortalHealthChecks(this WebApplication app)
    {
        // Live: the process answers. Ready: it can do its work (database reachable, job server heart-beating).
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(Ready),
            ResponseWriter = WriteReport,
        });
        return app;
    }

    private static Task WriteReport(HttpContext http, HealthReport report) =>
        http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });

    private sealed class HangfireServerCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var name = $"{Environment.MachineName}:{Environment.ProcessId}".ToLowerInvariant();
            var server = storage.GetMonitoringApi().Servers()
                .FirstOrDefault(s => s.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase));
            if (server?.Heartbeat is not { } heartbeat)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("The job server of this instance is not running."));
            }

            var age = DateTime.UtcNow - heartbeat;
            return Task.FromResult(age < TimeSpan.FromMinutes(1)
                ? HealthCheckResult.Healthy($"Job server heartbeat {age.TotalSeconds:0} s ago.")
                : HealthCheckResult.Unhealthy($"Job server heartbeat is {age.TotalSeconds:0} s old."));
        }
    }
}
