using Hangfire;
using Portal.Observability;

namespace Portal.Hosting;

/// <summary>TTFT read-outs, migration signals and the raw-sample retention job.</summary>
public static class ObservabilitySetup
{
    public static IHostApplicationBuilder AddPortalObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ObservabilityOptions>(builder.Configuration.GetSection(ObservabilityOptions.SectionName));
        builder.Services.AddScoped<TtftService>();
        builder.Services.AddScoped<SignalsService>();
        builder.Services.AddScoped<RawSampleRetentionJob>();
        return builder;
    }

    public static WebApplication MapPortalObservabilityJobs(this WebApplication app)
    {
        var options = app.Configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<RawSampleRetentionJob>(
            RawSampleRetentionJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.RetentionCron);
        return app;
    }
}
