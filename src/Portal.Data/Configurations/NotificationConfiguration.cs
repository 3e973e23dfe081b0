using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.ToTable("NotificationChannels");
        builder.Property(c => c.Name).HasMaxLength(100);
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.EmailTo).HasMaxLength(2000);
        builder.Property(c => c.ProtectedUrl).HasMaxLength(4000);
        builder.Property(c => c.UrlHint).HasMaxLength(200);
        builder.Property(c => c.Kinds).HasMaxLength(500);
        builder.Property(c => c.CreatedBy).HasMaxLength(200);
        builder.Property(c => c.UpdatedBy).HasMaxLength(200);
        builder.HasIndex(c => c.TenantId);
    }
}

internal sealed class NotificationSettingsConfiguration : IEntityTypeConfiguration<NotificationSettings>
{
    public void Configure(EntityTypeBuilder<NotificationSettings> builder)
    {
        builder.ToTable("NotificationSettings");
        builder.HasKey(s => s.TenantId);
        builder.Property(s => s.TimeZone).HasMaxLength(64);
        builder.Property(s => s.UpdatedBy).HasMaxLength(200);
    }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.ToTable("NotificationDeliveries");
        builder.Property(d => d.ChannelType).HasMaxLength(16);
        builder.Property(d => d.Kind).HasMaxLength(32);
        builder.Property(d => d.NoticeKey).HasMaxLength(200);
        builder.Property(d => d.Title).HasMaxLength(300);
        builder.Property(d => d.Text).HasMaxLength(2000);
        builder.Property(d => d.Link).HasMaxLength(400);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.LastError).HasMaxLength(500);
        // A notice goes to a channel once, whoever publishes it and however often.
        builder.HasIndex(d => new { d.ChannelId, d.NoticeKey }).IsUnique();
        builder.HasIndex(d => new { d.TenantId, d.CreatedAt });
        builder.HasIndex(d => new { d.Status, d.ReleaseAt });
    }
}

internal sealed class MigrationSignalStateConfiguration : IEntityTypeConfiguration<MigrationSignalState>
{
    public void Configure(EntityTypeBuilder<MigrationSignalState> builder)
    {
        builder.ToTable("MigrationSignalStates");
        builder.HasKey(s => new { s.EndpointId, s.Signal });
        builder.Property(s => s.Signal).HasMaxLength(32);
        builder.Property(s => s.State).HasMaxLength(16);
        builder.HasIndex(s => s.TenantId);
    }
}
