using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(100);
        builder.Property(k => k.Prefix).HasMaxLength(40);
        builder.Property(k => k.KeyHash).HasMaxLength(64).IsFixedLength();
        builder.Property(k => k.CreatedBy).HasMaxLength(200);
        builder.Property(k => k.Scopes).HasConversion<int>();
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.HasIndex(k => k.TenantId);
    }
}

internal sealed class RequestSampleRowConfiguration : IEntityTypeConfiguration<RequestSampleRow>
{
    public void Configure(EntityTypeBuilder<RequestSampleRow> builder)
    {
        builder.ToTable("RequestSamples");
        builder.Property(s => s.Operation).HasConversion<string>().HasMaxLength(32);
        builder.Property(s => s.Tier).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.Model).HasMaxLength(200);
        builder.Property(s => s.ReplicaId).HasMaxLength(200);
        builder.Property(s => s.Region).HasMaxLength(64);
        builder.Property(s => s.ErrorCode).HasMaxLength(64);
        builder.HasIndex(s => new { s.TenantId, s.EndpointId, s.Timestamp });
        builder.HasIndex(s => s.Timestamp);
    }
}
