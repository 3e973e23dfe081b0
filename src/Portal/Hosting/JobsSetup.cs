using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.SqlServer;
using Hangfire.Storage.SQLite;
using Portal.Data;
using Portal.Identity;

namespace Portal.Hosting;

public static class JobsSetup
{
    public static IHostApplicationBuilder AddPortalJobs(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // This instance's own storage, registered before Hangfire's default (which reads the process-wide
        // JobStorage.Current): two portals in one process (tests, a gateway beside a portal) never share a job queue.
        builder.Services.AddSingleton<JobStorage>(_ => CreateStorage(configuration));
        // Likewise its own activator: Hangfire's default is the process-wide JobActivator.Current, the last one any
        // portal in the process configured, which would run this instance's jobs with another instance's services.
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        // And its logging, which no library setting makes per instance: see HangfireLogging.
        builder.Services.AddSingleton<HangfireLogging.Attachment>();
        builder.Services.AddHangfire((services, hangfire) => hangfire
            .UseLogProvider(services.GetRequiredService<HangfireLogging.Attachment>().Provider)
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(services.GetRequiredService<JobStorage>()));
        builder.Services.AddHangfireServer(options =>
        {
            options.WorkerCount = configuration.GetValue("Jobs:WorkerCount", 4);
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            // The reconciler follows a converging deployment every couple of seconds through scheduled jobs.
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        return builder;
    }

    private static JobStorage CreateStorage(IConfiguration configuration)
    {
        // ConnectionStrings:Hangfire is unset by default: on SQL Server the jobs then live in the portal's database, on
        // SQLite in data/hangfire.db.
        if (configuration.GetDatabaseProvider() == DatabaseProvider.SqlServer)
        {
            return new SqlServerStorage(
                configuration.GetConnectionString("Hangfire") ?? configuration.GetConnectionString("Portal"),
                new SqlServerStorageOptions { PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(2) });
        }

        var path = Path.GetFullPath(configuration.GetConnectionString("Hangfire") ?? "data/hangfire.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new SQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
    }

    public static WebApplication MapPortalJobs(this WebApplication app)
    {
        // An operator's change on the dashboard (trigger, requeue, delete) enters the platform's audit trail.
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/hangfire") && HttpMethods.IsPost(http.Request.Method), branch =>
            branch.Use(async (http, next) =>
            {
                await next(http);
                if (http.Items[CallerKey] is Caller { IsOperator: true } caller && http.Response.StatusCode < 400)
                {
                    await http.RequestServices.GetRequiredService<Audit.AuditLog>().RecordAsync(caller, null, "jobs.dashboard_changed", "jobs",
                        http.Request.Path.Value!, cancellationToken: http.RequestAborted);
                }
            }));
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            AppPath = "/",
            DashboardTitle = "Portal jobs",
            AsyncAuthorization = [new PlatformStaffDashboardFilter()],
            // Support staff look; only platform operators act on jobs.
            IsReadOnlyFunc = context => context.GetHttpContext().Items[CallerKey] is not Caller { IsOperator: true },
        }).RequireAuthorization();
        return app;
    }

    private static readonly object CallerKey = new();

    /// <summary>The job dashboard shows every tenant's work, so only platform staff (support, operators) may open it.</summary>
    private sealed class PlatformStaffDashboardFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var caller = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http.User, http.RequestAborted);
            http.Items[CallerKey] = caller;
            return caller is { IsSupport: true } or { IsOperator: true };
        }
    }
}
