using Hangfire;
using Portal.Usage;

namespace Portal.Hosting;

/// <summary>Usage and cost, budgets and their alerts.</summary>
public static class UsageSetup
{
    /// <summary>How often today's usage is written and budgets are checked (Hangfire cron).</summary>
    public const string IntervalKey = "Usage:Cron";

    public static IHostApplicationBuilder AddPortalUsage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<UsageService>();
        builder.Services.AddScoped<BudgetService>();
        builder.Services.AddScoped<BudgetAlerts>();
        builder.Services.AddScoped<UsageDayJob>();
        return builder;
    }

    public static WebApplication MapPortalUsageJobs(this WebApplication app)
    {
        var cron = app.Configuration[IntervalKey] ?? "*/5 * * * *";
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<UsageDayJob>(UsageDayJob.RecurringId, j => j.RunAsync(CancellationToken.None), cron);
        return app;
    }
}
