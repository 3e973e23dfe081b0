using Hangfire;
using Portal.Migration;
using Portal.Observability;

namespace Portal.Hosting;

/// <summary>TTFT read-outs, migration signals, the raw-sample retention job, the hour-rollup backfill and the engines' metrics scrape.</summary>
public static class ObservabilitySetup
{
    public static IHostApplicationBuilder AddPortalObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ObservabilityOptions>(builder.Configuration.GetSection(ObservabilityOptions.SectionName));
        builder.Services.AddScoped<TtftService>();
        builder.Services.AddSingleton<SharedReports>();
        builder.Services.AddHostedService<ConsoleWarmUp>();
        builder.Services.AddScoped<SampleExportService>();
        builder.Services.AddScoped<SignalsService>();
        builder.Services.AddScoped<RawSampleRetentionJob>();
        builder.Services.AddScoped<HourRollupBackfillJob>();
        builder.Services.AddScoped<ServerTtftHistory>();
        builder.Services.AddScoped<ServerMetricsScrapeJob>();
        builder.Services.AddHttpClient(ServerMetricsScrapeJob.HttpClientName, client => client.MaxResponseContentBufferSize = ServerMetricsScrapeJob.MaxBodyBytes);
        builder.Services.AddGuardedHttpClient(ServerMetricsScrapeJob.TenantHttpClientName);
        builder.Services.AddMemoryCache();
        builder.Services.AddScoped<ProviderModels>();
        builder.Services.AddGuardedHttpClient(ProviderModels.HttpClientName);
        return builder;
    }

    public static WebApplication MapPortalObservabilityJobs(this WebApplication app)
    {
        var options = app.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RawSampleRetentionJob>(
            RawSampleRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.RetentionCron);
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ServerMetricsScrapeJob>(
            ServerMetricsScrapeJob.RecurringId, job => job.RunAsync(CancellationToken.None), Cron.MinuteInterval(Math.Max(1, options.ScrapeIntervalMinutes)));
        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<HourRollupBackfillJob>(job => job.RunAsync(CancellationToken.None));
        return app;
    }
}
