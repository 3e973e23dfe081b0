using Hangfire;
using Portal.Notifications;

namespace Portal.Hosting;

/// <summary>Notification channels, the routing and delivery of tenant notices, digests and the notices of expiring keys.</summary>
public static class NotificationsSetup
{
    public static IHostApplicationBuilder AddPortalNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().Bind(builder.Configuration.GetSection(NotificationOptions.SectionName))
            .Validate(o => o.IsValid(), "Notifications:RetryDelaysSeconds must list positive seconds and Notifications:KeyExpiryNoticeDays be 1 to 90.")
            .ValidateOnStart();
        builder.Services.AddGuardedHttpClient(NotificationChannels.ChatHttpClientName, TimeSpan.FromSeconds(10));
        builder.Services.AddScoped<NotificationRouter>();
        builder.Services.AddScoped<NotificationSender>();
        builder.Services.AddScoped<NotificationMessages>();
        builder.Services.AddScoped<NotificationDigestJob>();
        builder.Services.AddScoped<KeyExpiryJob>();
        builder.Services.AddScoped<MigrationSignalJob>();
        builder.Services.AddScoped<NotificationService>();
        return builder;
    }

    public static WebApplication MapPortalNotificationJobs(this WebApplication app)
    {
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<NotificationDigestJob>(NotificationDigestJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Minutely());
        recurring.AddOrUpdate<KeyExpiryJob>(KeyExpiryJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        recurring.AddOrUpdate<MigrationSignalJob>(MigrationSignalJob.JobId, j => j.RunAsync(CancellationToken.None), "*/15 * * * *");
        return app;
    }
}
