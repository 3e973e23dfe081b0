using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class DryRunConfiguration : IEntityTypeConfiguration<DryRunRow>
{
    public void Configure(EntityTypeBuilder<DryRunRow> builder)
    {
        builder.ToTable("DryRuns");
        builder.Property(r => r.CreatedBy).HasMaxLength(200);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Error).HasMaxLength(2000);
        builder.HasIndex(r => new { r.TenantId, r.EndpointId, r.CreatedAt });
    }
}
