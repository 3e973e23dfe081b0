using Hangfire;
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
        builder.Services.AddHangfire(hangfire =>
        {
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (configuration.GetDatabaseProvider() == DatabaseProvider.SqlServer)
            {
                hangfire.UseSqlServerStorage(
                    configuration.GetConnectionString("Hangfire") ?? configuration.GetConnectionString("Portal"),
                    new SqlServerStorageOptions { PrepareSchemaIfNecessary = true, QueuePollInterval = TimeSpan.FromSeconds(2) });
            }
            else
            {
                var path = Path.GetFullPath(configuration.GetConnectionString("Hangfire") ?? "data/hangfire.db");
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                hangfire.UseSQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(1) });
            }
        });
        builder.Services.AddHangfireServer(options =>
        {
            options.WorkerCount = configuration.GetValue("Jobs:WorkerCount", 4);
            options.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
            // The reconciler follows a converging deployment every couple of seconds through scheduled jobs.
            options.SchedulePollingInterval = TimeSpan.FromSeconds(1);
        });
        return builder;
    }

    public static WebApplication MapPortalJobs(this WebApplication app)
    {
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            AppPath = "/",
            DashboardTitle = "Portal jobs",
            AsyncAuthorization = [new SupportOnlyDashboardFilter()],
        }).RequireAuthorization();
        return app;
    }

    /// <summary>The job dashboard shows every tenant's work, so only platform support staff may open it.</summary>
    private sealed class SupportOnlyDashboardFilter : IDashboardAsyncAuthorizationFilter
    {
        public async Task<bool> AuthorizeAsync(DashboardContext context)
        {
            var http = context.GetHttpContext();
            var caller = await http.RequestServices.GetRequiredService<CallerResolver>().ResolveAsync(http.User, http.RequestAborted);
            return caller is { IsSupport: true };
        }
    }
}
