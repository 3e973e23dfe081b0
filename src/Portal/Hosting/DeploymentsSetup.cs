using Hangfire;
using Portal.Core.Catalog;
using Portal.Core.Cost;
using Portal.Core.Quotas;
using Portal.Core.Scaling;
using Portal.Deployments;
using Portal.Migration;
using Portal.Migration.DryRun;
using Portal.Pipelines;
using Portal.Quotas;
using Portal.Residency;
using Portal.Runtimes;

namespace Portal.Hosting;

public static class DeploymentsSetup
{
    public static IHostApplicationBuilder AddPortalDeployments(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(ModelCatalog.Default);
        builder.Services.Configure<GpuPricing>(builder.Configuration.GetSection(GpuPricing.SectionName));
        builder.AddReplicaRuntimes();
        builder.Services.AddHttpClient(nameof(DeploymentReconciler), client => client.Timeout = TimeSpan.FromSeconds(60));
        builder.Services.AddSingleton<IResidencyLocks, ResidencyLocks>();
        builder.Services.AddScoped<ResidencyService>();
        builder.Services.AddScoped<ResidencyReportService>();
        builder.Services.AddScoped<RegionsOverviewService>();
        builder.Services.Configure<QuotaOptions>(builder.Configuration.GetSection(QuotaOptions.SectionName));
        builder.Services.AddScoped<QuotaService>();
        builder.Services.AddScoped<DeploymentService>();
        builder.Services.AddScoped<ReplicaLogService>();
        builder.Services.AddScoped<WeightCredentialService>();
        builder.Services.AddScoped<DeploymentReconciler>();
        builder.Services.AddOptions<ReconcileOptions>().Bind(builder.Configuration.GetSection(ReconcileOptions.SectionName))
            .Validate(o => o.MaxStartsPerPass >= 1, "Runtimes:MaxStartsPerPass must be at least 1.").ValidateOnStart();
        builder.Services.Configure<BurstPoolOptions>(builder.Configuration.GetSection(BurstPoolOptions.SectionName));
        builder.Services.Configure<AutoscaleOptions>(builder.Configuration.GetSection(AutoscaleOptions.SectionName));
        builder.Services.AddSingleton<BurstPlacement>();
        builder.Services.AddSingleton<ReplicaDrainer>();
        builder.Services.AddScoped<AutoscaleService>();
        builder.Services.AddHostedService<DeploymentAutoscaler>();
        builder.Services.AddScoped<MigrationService>();
        builder.Services.AddScoped<DryRunService>();
        builder.Services.AddScoped<DryRunJob>();
        builder.Services.AddHostedService<DryRunRecovery>();
        builder.Services.AddScoped<PipelineService>();
        return builder;
    }

    public static WebApplication MapPortalDeploymentJobs(this WebApplication app)
    {
        // Each change enqueues its own reconcile; this sweep catches what happens on its own (a replica that died)
        // and converges after a restart of the portal.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<DeploymentReconciler>(
            DeploymentReconciler.RecurringId, r => r.ReconcileAllAsync(CancellationToken.None), "*/15 * * * * *");
        app.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<DeploymentReconciler>(r => r.ReconcileAllAsync(CancellationToken.None));
        return app;
    }
}
