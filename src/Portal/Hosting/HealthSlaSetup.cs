using Hangfire;
using Microsoft.Extensions.Options;
using Portal.Health;

namespace Portal.Hosting;

/// <summary>Probes, incidents, alerts and the SLA.</summary>
public static class HealthSlaSetup
{
    public static IHostApplicationBuilder AddPortalHealthSla(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HealthOptions>().Bind(builder.Configuration.GetSection(HealthOptions.SectionName))
            .Validate(o => o.Sla.Validate().Count == 0, "Health settings are not valid (probe interval, target uptime, credit tiers).")
            .Validate(o => o.PassiveErrorMinRequests >= 1 && o.PassiveErrorPercent is >= 1 and <= 100,
                "Health:PassiveErrorMinRequests must be at least 1 and Health:PassiveErrorPercent between 1 and 100.")
            .ValidateOnStart();
        builder.Services.AddHttpClient(ProbeClient.HttpClientName);
        builder.Services.AddGuardedHttpClient(ProbeClient.TenantHttpClientName);
        builder.Services.AddGuardedHttpClient(WebhookDelivery.HttpClientName, TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<ProbeClient>();
        builder.Services.AddSingleton<ProbeSubjects>();
        builder.Services.AddScoped<HealthProbeJob>();
        builder.Services.AddScoped<ErrorBudgetBurns>();
        builder.Services.AddScoped<IncidentAlerts>();
        builder.Services.AddSingleton<Portal.Notifications.TenantNotices>();
        builder.Services.AddScoped<WebhookDelivery>();
        builder.Services.AddScoped<SlaService>();
        builder.Services.AddScoped<WebhookService>();
        builder.Services.AddScoped<MaintenanceService>();
        builder.Services.AddScoped<LatencyObjectiveService>();
        builder.Services.AddScoped<LatencyObjectiveJob>();
        builder.Services.AddScoped<ProbeSettingsService>();
        return builder;
    }

    public static WebApplication MapPortalHealthSlaJobs(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<HealthOptions>>().Value;
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<HealthProbeJob>(HealthProbeJob.AvailabilityJobId, j => j.ProbeAvailabilityAsync(CancellationToken.None),
            HealthOptions.Cron(options.ProbeInterval));
        recurring.AddOrUpdate<HealthProbeJob>(HealthProbeJob.TtftJobId, j => j.ProbeTtftAsync(CancellationToken.None),
            HealthOptions.Cron(options.TtftProbeInterval));
        recurring.AddOrUpdate<LatencyObjectiveJob>(LatencyObjectiveJob.JobId, j => j.EvaluateAsync(CancellationToken.None), Cron.Minutely());
        return app;
    }
}
