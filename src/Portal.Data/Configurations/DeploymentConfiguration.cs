using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class DeploymentConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> builder)
    {
        builder.ToTable("Deployments");
        builder.Property(d => d.Name).HasMaxLength(64);
        builder.Property(d => d.ModelDisplayName).HasMaxLength(200);
        builder.Property(d => d.ServedModelName).HasMaxLength(200);
        builder.Property(d => d.Engine).HasMaxLength(32);
        builder.Property(d => d.GpuType).HasMaxLength(32);
        builder.Property(d => d.Region).HasMaxLength(64);
        builder.Property(d => d.CreatedBy).HasMaxLength(200);
        builder.Property(d => d.PricePerGpuHour).HasPrecision(12, 4);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(d => d.ConcurrencyStamp).IsConcurrencyToken();
        // Names are unique among a tenant's live deployments (the validator; the endpoint's unique name backs it up);
        // a deleted deployment keeps its row, so its name can be used again.
        builder.HasIndex(d => new { d.TenantId, d.Name });
        builder.HasIndex(d => d.Status);
        builder.HasMany(d => d.Replicas).WithOne(r => r.Deployment).HasForeignKey(r => r.DeploymentId);
    }
}

internal sealed class ReplicaConfiguration : IEntityTypeConfiguration<Replica>
{
    public void Configure(EntityTypeBuilder<Replica> builder)
    {
        builder.ToTable("Replicas");
        builder.Property(r => r.Phase).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.RuntimeReplicaId).HasMaxLength(200);
        builder.Property(r => r.BaseUrl).HasMaxLength(400);
        builder.Property(r => r.ProtectedApiKey).HasMaxLength(2000);
        builder.Property(r => r.Region).HasMaxLength(64);
        builder.Property(r => r.Detail).HasMaxLength(1000);
        builder.HasIndex(r => new { r.DeploymentId, r.Phase });
        builder.HasIndex(r => r.TenantId);
    }
}

internal sealed class DeploymentEventConfiguration : IEntityTypeConfiguration<DeploymentEvent>
{
    public void Configure(EntityTypeBuilder<DeploymentEvent> builder)
    {
        builder.ToTable("DeploymentEvents");
        builder.Property(e => e.Kind).HasMaxLength(64);
        builder.Property(e => e.Message).HasMaxLength(1000);
        builder.HasIndex(e => new { e.DeploymentId, e.Id });
    }
}

internal sealed class TargetConfiguration : IEntityTypeConfiguration<Target>
{
    public void Configure(EntityTypeBuilder<Target> builder)
    {
        builder.ToTable("Targets");
        builder.Property(t => t.Name).HasMaxLength(200);
        builder.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.BaseUrl).HasMaxLength(400);
        builder.Property(t => t.UpstreamModel).HasMaxLength(200);
        builder.Property(t => t.ProtectedApiKey).HasMaxLength(2000);
        builder.Property(t => t.Region).HasMaxLength(64);
        builder.Property(t => t.InputPricePerMillion).HasPrecision(12, 6);
        builder.Property(t => t.OutputPricePerMillion).HasPrecision(12, 6);
        builder.HasOne(t => t.Deployment).WithMany().HasForeignKey(t => t.DeploymentId);
        builder.HasIndex(t => t.TenantId);
    }
}

internal sealed class InferenceEndpointConfiguration : IEntityTypeConfiguration<InferenceEndpoint>
{
    public void Configure(EntityTypeBuilder<InferenceEndpoint> builder)
    {
        builder.ToTable("Endpoints");
        builder.Property(e => e.Name).HasMaxLength(200);
        builder.Property(e => e.RequiredQuantization).HasMaxLength(16);
        builder.Property(e => e.RequiredResidency).HasMaxLength(8);
        builder.Property(e => e.ConcurrencyStamp).IsConcurrencyToken();
        builder.HasIndex(e => new { e.TenantId, e.Name }).IsUnique();
        builder.HasOne(e => e.PrimaryTarget).WithMany().HasForeignKey(e => e.PrimaryTargetId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(e => e.SecondaryTarget).WithMany().HasForeignKey(e => e.SecondaryTargetId).OnDelete(DeleteBehavior.Restrict);
    }
}
