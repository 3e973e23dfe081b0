using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class AutoscaleSettingsConfiguration : IEntityTypeConfiguration<AutoscaleSettings>
{
    public void Configure(EntityTypeBuilder<AutoscaleSettings> builder)
    {
        builder.ToTable("AutoscaleSettings");
        builder.HasKey(s => s.DeploymentId);
        builder.HasOne<Deployment>().WithOne().HasForeignKey<AutoscaleSettings>(s => s.DeploymentId);
        builder.HasIndex(s => s.TenantId);
    }
}

internal sealed class ScaleEventConfiguration : IEntityTypeConfiguration<ScaleEvent>
{
    public void Configure(EntityTypeBuilder<ScaleEvent> builder)
    {
        builder.ToTable("ScaleEvents");
        builder.Property(e => e.Reason).HasMaxLength(1000);
        builder.Property(e => e.PolicyJson).HasMaxLength(1000);
        builder.HasOne<Deployment>().WithMany().HasForeignKey(e => e.DeploymentId);
        builder.HasIndex(e => new { e.DeploymentId, e.Id });
        builder.HasIndex(e => e.TenantId);
    }
}
