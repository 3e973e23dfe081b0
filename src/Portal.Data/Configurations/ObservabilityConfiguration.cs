using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class MinuteRollupConfiguration : IEntityTypeConfiguration<MinuteRollupRow>
{
    public void Configure(EntityTypeBuilder<MinuteRollupRow> builder)
    {
        builder.ToTable("MinuteRollups");
        builder.Property(r => r.Start).HasColumnName("MinuteStart");
        RollupColumns.Configure(builder);
    }
}

internal sealed class HourRollupConfiguration : IEntityTypeConfiguration<HourRollupRow>
{
    public void Configure(EntityTypeBuilder<HourRollupRow> builder)
    {
        builder.ToTable("HourRollups");
        builder.Property(r => r.Start).HasColumnName("HourStart");
        RollupColumns.Configure(builder);
    }
}

internal static class RollupColumns
{
    public static void Configure<T>(EntityTypeBuilder<T> builder)
        where T : RollupRow
    {
        builder.Ignore(r => r.Key);
        builder.Property(r => r.Region).HasMaxLength(64);
        builder.Property(r => r.Tier).HasMaxLength(16);
        builder.Property(r => r.Traffic).HasConversion<string>().HasMaxLength(16);
        // One row per key: a late sample for a written period is merged into it, never added beside it.
        builder.HasIndex(r => new { r.EndpointId, r.Start, r.TargetId, r.Region, r.Tier, r.Traffic }).IsUnique();
        builder.HasIndex(r => new { r.TenantId, r.Start });
    }
}

internal sealed class ServerTtftBaselineConfiguration : IEntityTypeConfiguration<ServerTtftBaseline>
{
    public void Configure(EntityTypeBuilder<ServerTtftBaseline> builder)
    {
        builder.ToTable("ServerTtftBaselines");
        builder.HasKey(b => new { b.TargetId, b.Source });
        builder.Property(b => b.Source).HasMaxLength(80);
        builder.Property(b => b.ScrapedAt).IsConcurrencyToken();
        builder.HasIndex(b => b.ScrapedAt);
    }
}

internal sealed class ServerTtftPointConfiguration : IEntityTypeConfiguration<ServerTtftPoint>
{
    public void Configure(EntityTypeBuilder<ServerTtftPoint> builder)
    {
        builder.ToTable("ServerTtftPoints");
        builder.HasIndex(p => new { p.TenantId, p.TargetId, p.At });
        builder.HasIndex(p => p.At);
    }
}

internal sealed class EngineReadingConfiguration : IEntityTypeConfiguration<EngineReadingRow>
{
    public void Configure(EntityTypeBuilder<EngineReadingRow> builder)
    {
        builder.ToTable("EngineReadings");
        builder.Property(r => r.Source).HasMaxLength(64);
        builder.HasIndex(r => new { r.TenantId, r.TargetId, r.At });
        builder.HasIndex(r => r.At);
    }
}
