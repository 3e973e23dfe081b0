using Hangfire;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Support;

namespace Portal.Hosting;

public static class AuditSetup
{
    public static IHostApplicationBuilder AddPortalAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuditOptions>().BindConfiguration("Audit")
            .Validate(o => AuditRetention.Validate(o.RetentionDays) is null,
                $"Audit:RetentionDays must be between 1 and {AuditRetention.MaxDays} days, or left empty to keep every record live.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.ArchiveDirectory), "Audit:ArchiveDirectory must name a directory.")
            .ValidateOnStart();
        builder.Services.AddSingleton<AuditKeyProvider>();
        builder.Services.AddSingleton<AuditAppendQueue>();
        builder.Services.AddScoped<AuditContext>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<AuditReader>();
        builder.Services.AddScoped<AuditExporter>();
        builder.Services.AddScoped<AuditEvidencePackage>();
        builder.Services.AddScoped<AuditCheckpointJob>();
        builder.Services.AddScoped<AuditVerificationJob>();
        builder.Services.AddScoped<AuditKeyExpiryJob>();
        builder.Services.AddScoped<AuditArchiver>();
        builder.Services.AddScoped<AuditArchiveJob>();
        builder.Services.AddScoped<LookInService>();
        return builder;
    }

    /// <summary>Every HTTP request knows its client address and correlation id before anything is recorded.</summary>
    public static WebApplication UseAuditContext(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var context = http.RequestServices.GetRequiredService<AuditContext>();
            context.ClientIp = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            context.CorrelationId = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
            await next(http);
        });
        return app;
    }

    public static WebApplication MapPortalAuditJobs(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Audit").Get<AuditOptions>() ?? new AuditOptions();
        var jobs = app.Services.GetRequiredService<IRecurringJobManager>();
        jobs.AddOrUpdate<AuditCheckpointJob>(AuditCheckpointJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.CheckpointCron);
        jobs.AddOrUpdate<AuditVerificationJob>(AuditVerificationJob.RecurringId, job => job.RunAsync(false, CancellationToken.None), options.VerifyCron);
        jobs.AddOrUpdate<AuditVerificationJob>(AuditVerificationJob.FullRecurringId, job => job.RunAsync(true, CancellationToken.None), options.FullVerifyCron);
        jobs.AddOrUpdate<AuditKeyExpiryJob>(AuditKeyExpiryJob.RecurringId, job => job.RunAsync(CancellationToken.None), "0 6 * * *");
        jobs.AddOrUpdate<AuditArchiveJob>(AuditArchiveJob.RecurringId, job => job.RunAsync(CancellationToken.None), options.ArchiveCron);
        // Verify once at start so the Audit page has a result before the first scheduled run.
        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<AuditVerificationJob>(job => job.RunAsync(false, CancellationToken.None));
        // Fail at start, not at the first checkpoint, when no signing key is configured.
        _ = app.Services.GetRequiredService<AuditKeyProvider>();
        return app;
    }
}
