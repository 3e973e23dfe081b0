using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class TenantResidencyPolicyConfiguration : IEntityTypeConfiguration<TenantResidencyPolicy>
{
    public void Configure(EntityTypeBuilder<TenantResidencyPolicy> builder)
    {
        builder.ToTable("TenantResidencyPolicies");
        builder.HasKey(p => p.TenantId);
        builder.Property(p => p.Regions).HasMaxLength(1000);
        builder.Property(p => p.UpdatedBy).HasMaxLength(200);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId);
    }
}

internal sealed class EndpointRegionLockConfiguration : IEntityTypeConfiguration<EndpointRegionLock>
{
    public void Configure(EntityTypeBuilder<EndpointRegionLock> builder)
    {
        builder.ToTable("EndpointRegionLocks");
        builder.HasKey(l => l.EndpointId);
        builder.Property(l => l.Regions).HasMaxLength(1000);
        builder.Property(l => l.UpdatedBy).HasMaxLength(200);
        builder.HasIndex(l => l.TenantId);
        builder.HasOne<InferenceEndpoint>().WithMany().HasForeignKey(l => l.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RegionLockChangeConfiguration : IEntityTypeConfiguration<RegionLockChange>
{
    public void Configure(EntityTypeBuilder<RegionLockChange> builder)
    {
        builder.ToTable("RegionLockChanges");
        builder.Property(c => c.Subject).HasMaxLength(200);
        builder.Property(c => c.Before).HasMaxLength(1000);
        builder.Property(c => c.After).HasMaxLength(1000);
        builder.Property(c => c.Reason).HasMaxLength(1000);
        builder.Property(c => c.ActorId).HasMaxLength(200);
        builder.Property(c => c.ActorName).HasMaxLength(200);
        builder.HasIndex(c => new { c.TenantId, c.At });
    }
}
