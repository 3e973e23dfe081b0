using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> builder)
    {
        builder.ToTable("Pipelines");
        builder.Property(p => p.Name).HasMaxLength(100);
        builder.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
        builder.HasMany(p => p.Stages).WithOne().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PipelineStageConfiguration : IEntityTypeConfiguration<PipelineStage>
{
    public void Configure(EntityTypeBuilder<PipelineStage> builder)
    {
        builder.ToTable("PipelineStages");
        builder.Property(s => s.Name).HasMaxLength(100);
        // No foreign key to the endpoint: deleting a deployment removes its endpoint, and a pipeline then reports the stage
        // as pointing at an endpoint that is gone rather than blocking the delete.
        builder.HasIndex(s => s.EndpointId);
    }
}
