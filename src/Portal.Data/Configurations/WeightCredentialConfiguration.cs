using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class WeightCredentialConfiguration : IEntityTypeConfiguration<WeightCredential>
{
    public void Configure(EntityTypeBuilder<WeightCredential> builder)
    {
        builder.ToTable("WeightCredentials");
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(c => c.ProtectedValue).HasMaxLength(4000);
        builder.Property(c => c.Hint).HasMaxLength(64);
        builder.Property(c => c.Endpoint).HasMaxLength(400);
        builder.Property(c => c.Region).HasMaxLength(64);
        builder.Property(c => c.CreatedBy).HasMaxLength(200);
        builder.Property(c => c.RotatedBy).HasMaxLength(200);
        // One credential of each kind per tenant: a rotation replaces it, so a deployment never has two to choose from.
        builder.HasIndex(c => new { c.TenantId, c.Kind }).IsUnique();
    }
}
