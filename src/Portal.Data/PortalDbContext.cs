using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data.Entities;

namespace Portal.Data;

public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityUserContext<PortalUser, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<PlatformSetupToken> PlatformSetupTokens => Set<PlatformSetupToken>();
    public DbSet<TenantMembership> Memberships => Set<TenantMembership>();
    public DbSet<TenantInvitation> Invitations => Set<TenantInvitation>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();
    public DbSet<AuditCheckpoint> AuditCheckpoints => Set<AuditCheckpoint>();
    public DbSet<AuditVerificationRun> AuditVerificationRuns => Set<AuditVerificationRun>();
    public DbSet<AuditArchive> AuditArchives => Set<AuditArchive>();
    public DbSet<SupportLookIn> SupportLookIns => Set<SupportLookIn>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<Replica> Replicas => Set<Replica>();
    public DbSet<DeploymentEvent> DeploymentEvents => Set<DeploymentEvent>();
    public DbSet<AutoscaleSettings> AutoscaleSettings => Set<AutoscaleSettings>();
    public DbSet<ScaleEvent> ScaleEvents => Set<ScaleEvent>();
    public DbSet<Target> Targets => Set<Target>();
    public DbSet<InferenceEndpoint> Endpoints => Set<InferenceEndpoint>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<RequestSampleRow> RequestSamples => Set<RequestSampleRow>();
    public DbSet<Pipeline> Pipelines => Set<Pipeline>();
    public DbSet<PipelineStage> PipelineStages => Set<PipelineStage>();
    public DbSet<DryRunRow> DryRuns => Set<DryRunRow>();
    public DbSet<TenantResidencyPolicy> ResidencyPolicies => Set<TenantResidencyPolicy>();
    public DbSet<TenantQuota> TenantQuotas => Set<TenantQuota>();
    public DbSet<EndpointRegionLock> EndpointRegionLocks => Set<EndpointRegionLock>();
    public DbSet<RegionLockChange> RegionLockChanges => Set<RegionLockChange>();
    public DbSet<ProbeRecord> ProbeRecords => Set<ProbeRecord>();
    public DbSet<ProbeSubjectState> ProbeSubjectStates => Set<ProbeSubjectState>();
    public DbSet<IncidentRecord> Incidents => Set<IncidentRecord>();
    public DbSet<IncidentEvent> IncidentEvents => Set<IncidentEvent>();
    public DbSet<WebhookSubscription> Webhooks => Set<WebhookSubscription>();
    public DbSet<MaintenanceWindow> MaintenanceWindows => Set<MaintenanceWindow>();
    public DbSet<LatencyObjectiveSetting> LatencyObjectives => Set<LatencyObjectiveSetting>();
    public DbSet<ErrorBudgetBurn> ErrorBudgetBurns => Set<ErrorBudgetBurn>();
    public DbSet<WeightCredential> WeightCredentials => Set<WeightCredential>();
    public DbSet<UsageDayRow> UsageDays => Set<UsageDayRow>();
    public DbSet<Budget> Budgets => Set<Budget>();
    public DbSet<BudgetAlert> BudgetAlerts => Set<BudgetAlert>();
    public DbSet<MinuteRollupRow> MinuteRollups => Set<MinuteRollupRow>();
    public DbSet<HourRollupRow> HourRollups => Set<HourRollupRow>();
    public DbSet<ServerTtftBaseline> ServerTtftBaselines => Set<ServerTtftBaseline>();
    public DbSet<ServerTtftPoint> ServerTtftPoints => Set<ServerTtftPoint>();
    public DbSet<EngineReadingRow> EngineReadings => Set<EngineReadingRow>();
    public DbSet<NotificationChannel> NotificationChannels => Set<NotificationChannel>();
    public DbSet<NotificationSettings> NotificationSettings => Set<NotificationSettings>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<MigrationSignalState> MigrationSignalStates => Set<MigrationSignalState>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict<Guid>();
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Stored as UTC ticks so ordering and range filters work the same on SQLite and SQL Server.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}
