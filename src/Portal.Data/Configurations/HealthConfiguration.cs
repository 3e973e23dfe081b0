using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ProbeRecordConfiguration : IEntityTypeConfiguration<ProbeRecord>
{
    public void Configure(EntityTypeBuilder<ProbeRecord> builder)
    {
        builder.ToTable("ProbeRecords");
        builder.Property(p => p.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Detail).HasMaxLength(500);
        // One result per subject, kind and window: the idempotency of the probe tick rests on this key.
        builder.HasIndex(p => new { p.SubjectId, p.Kind, p.WindowId }).IsUnique();
        builder.HasIndex(p => new { p.TargetId, p.Kind, p.WindowStart });
        builder.HasIndex(p => new { p.TenantId, p.At });
    }
}

internal sealed class ProbeSubjectStateConfiguration : IEntityTypeConfiguration<ProbeSubjectState>
{
    public void Configure(EntityTypeBuilder<ProbeSubjectState> builder)
    {
        builder.ToTable("ProbeSubjectStates");
        builder.HasKey(s => s.SubjectId);
        builder.HasIndex(s => s.TargetId);
    }
}

internal sealed class IncidentRecordConfiguration : IEntityTypeConfiguration<IncidentRecord>
{
    public void Configure(EntityTypeBuilder<IncidentRecord> builder)
    {
        builder.ToTable("Incidents");
        builder.Property(i => i.Scope).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.Title).HasMaxLength(300);
        builder.Property(i => i.AffectedEndpoints).HasMaxLength(2000);
        builder.HasIndex(i => new { i.TenantId, i.StartedAt });
        builder.HasIndex(i => new { i.SubjectId, i.EndedAt });
        builder.HasMany(i => i.Events).WithOne().HasForeignKey(e => e.IncidentId);
    }
}

internal sealed class IncidentEventConfiguration : IEntityTypeConfiguration<IncidentEvent>
{
    public void Configure(EntityTypeBuilder<IncidentEvent> builder)
    {
        builder.ToTable("IncidentEvents");
        builder.Property(e => e.Kind).HasMaxLength(64);
        builder.Property(e => e.Message).HasMaxLength(1000);
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> builder)
    {
        builder.ToTable("Webhooks");
        builder.Property(w => w.Url).HasMaxLength(400);
        builder.Property(w => w.ProtectedSecret).HasMaxLength(2000);
        builder.Property(w => w.CreatedBy).HasMaxLength(200);
        builder.HasIndex(w => w.TenantId);
    }
}

internal sealed class MaintenanceWindowConfiguration : IEntityTypeConfiguration<MaintenanceWindow>
{
    public void Configure(EntityTypeBuilder<MaintenanceWindow> builder)
    {
        builder.ToTable("MaintenanceWindows");
        builder.Property(w => w.Reason).HasMaxLength(500);
        builder.Property(w => w.CreatedBy).HasMaxLength(200);
        builder.HasIndex(w => new { w.EndpointId, w.StartsAt });
        builder.HasIndex(w => w.TenantId);
    }
}

internal sealed class LatencyObjectiveSettingConfiguration : IEntityTypeConfiguration<LatencyObjectiveSetting>
{
    public void Configure(EntityTypeBuilder<LatencyObjectiveSetting> builder)
    {
        builder.ToTable("LatencyObjectives");
        builder.HasKey(o => o.EndpointId);
        builder.Property(o => o.UpdatedBy).HasMaxLength(200);
        builder.HasIndex(o => o.TenantId);
        builder.HasOne<InferenceEndpoint>().WithMany().HasForeignKey(o => o.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ErrorBudgetBurnConfiguration : IEntityTypeConfiguration<ErrorBudgetBurn>
{
    public void Configure(EntityTypeBuilder<ErrorBudgetBurn> builder)
    {
        builder.ToTable("ErrorBudgetBurns");
        builder.Property(b => b.Month).HasMaxLength(7);
        builder.Property(b => b.UsedMinutes).HasPrecision(18, 4);
        builder.Property(b => b.AllowedMinutes).HasPrecision(18, 4);
        builder.HasIndex(b => b.TenantId);
        // One open episode per endpoint, however many instances tick (the unquoted filter reads the same in both dialects).
        builder.HasIndex(b => b.EndpointId).IsUnique().HasFilter("EndedAt IS NULL").HasDatabaseName("IX_ErrorBudgetBurns_EndpointId_Open");
        builder.HasOne<InferenceEndpoint>().WithMany().HasForeignKey(b => b.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}
