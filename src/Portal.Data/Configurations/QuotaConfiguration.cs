using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class TenantQuotaConfiguration : IEntityTypeConfiguration<TenantQuota>
{
    public void Configure(EntityTypeBuilder<TenantQuota> builder)
    {
        builder.ToTable("TenantQuotas");
        builder.HasKey(q => q.TenantId);
        builder.Property(q => q.UpdatedBy).HasMaxLength(200);
        builder.HasOne<Tenant>().WithMany().HasForeignKey(q => q.TenantId);
    }
}
