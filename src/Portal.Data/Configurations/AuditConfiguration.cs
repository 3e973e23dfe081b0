using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Core.Audit;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

/// <summary>
/// The chains' records are stored exactly as sealed, and sealing fits every field to these columns
/// (<see cref="AuditBounds"/>); the database refuses UPDATE and DELETE on this table
/// (SQLite triggers, SQL Server append-only ledger table — both created by the migrations). The key on
/// (chain, sequence) is what decides between racing appenders of one chain, in one instance or several.
/// </summary>
/// <remarks>
/// Records sealed before chains were kept per tenant were copied here as the <see cref="AuditChain.Legacy"/> chain;
/// their original tables (<c>AuditRecords</c>, <c>AuditCheckpoints</c>) stay, frozen and append-only, untouched.
/// </remarks>
internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public const string Table = "AuditChainRecords";

    public void Configure(EntityTypeBuilder<AuditRecord> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(r => new { r.Chain, r.Sequence });
        builder.Property(r => r.Chain).HasMaxLength(AuditChain.MaxLength);
        builder.Property(r => r.Sequence).ValueGeneratedNever();
        builder.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.ActorId).HasMaxLength(AuditBounds.ActorId);
        builder.Property(r => r.ActorName).HasMaxLength(AuditBounds.ActorName);
        builder.Property(r => r.ActorRoles).HasMaxLength(AuditBounds.ActorRoles);
        builder.Property(r => r.ActorIp).HasMaxLength(AuditBounds.ActorIp);
        builder.Property(r => r.Action).HasMaxLength(AuditBounds.Action);
        builder.Property(r => r.ResourceType).HasMaxLength(AuditBounds.ResourceType);
        builder.Property(r => r.ResourceId).HasMaxLength(AuditBounds.ResourceId);
        builder.Property(r => r.Reason).HasMaxLength(AuditBounds.Reason);
        builder.Property(r => r.CorrelationId).HasMaxLength(AuditBounds.CorrelationId);
        builder.Property(r => r.PreviousHash).HasMaxLength(64).IsFixedLength();
        builder.Property(r => r.Hash).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(r => new { r.TenantId, r.Sequence });
        builder.HasIndex(r => new { r.TenantId, r.OccurredAt });
        builder.HasIndex(r => new { r.TenantId, r.Action, r.Sequence });
    }
}

internal sealed class AuditCheckpointConfiguration : IEntityTypeConfiguration<AuditCheckpoint>
{
    public const string Table = "AuditChainCheckpoints";

    public void Configure(EntityTypeBuilder<AuditCheckpoint> builder)
    {
        builder.ToTable(Table);
        builder.HasKey(c => new { c.Chain, c.Sequence });
        builder.Property(c => c.Chain).HasMaxLength(AuditChain.MaxLength);
        builder.Property(c => c.Sequence).ValueGeneratedNever();
        builder.Property(c => c.Hash).HasMaxLength(64).IsFixedLength();
        builder.Property(c => c.Signature).HasMaxLength(200);
        builder.Property(c => c.KeyId).HasMaxLength(32);
    }
}

internal sealed class AuditVerificationRunConfiguration : IEntityTypeConfiguration<AuditVerificationRun>
{
    public void Configure(EntityTypeBuilder<AuditVerificationRun> builder)
    {
        builder.ToTable("AuditVerificationRuns");
        builder.Property(r => r.Problem).HasMaxLength(32);
        builder.Property(r => r.Message).HasMaxLength(1000);
        builder.HasIndex(r => r.FinishedAt);
    }
}

/// <summary>
/// The retention archive's register. On SQLite the delete trigger of <c>AuditChainRecords</c> lets a record go only
/// when a row here covers its (chain, sequence) with the file's hash; the register itself is append-only (triggers on
/// SQLite, an append-only ledger table on SQL Server — both created by the migrations).
/// </summary>
internal sealed class AuditArchiveConfiguration : IEntityTypeConfiguration<AuditArchive>
{
    public const string Table = "AuditArchives";

    public void Configure(EntityTypeBuilder<AuditArchive> builder)
    {
        builder.ToTable(Table);
        builder.Property(a => a.Chain).HasMaxLength(AuditChain.MaxLength);
        builder.Property(a => a.LastHash).HasMaxLength(64).IsFixedLength();
        builder.Property(a => a.FileName).HasMaxLength(200);
        builder.Property(a => a.FileSha256).HasMaxLength(64).IsFixedLength();
        builder.HasIndex(a => new { a.Chain, a.LastSequence }).IsUnique();
        builder.HasIndex(a => a.TenantId);
    }
}

internal sealed class SupportLookInConfiguration : IEntityTypeConfiguration<SupportLookIn>
{
    public void Configure(EntityTypeBuilder<SupportLookIn> builder)
    {
        builder.ToTable("SupportLookIns");
        builder.Property(l => l.Reason).HasMaxLength(500);
        builder.HasOne(l => l.Tenant).WithMany().HasForeignKey(l => l.TenantId);
        builder.HasIndex(l => new { l.SupportUserId, l.ExpiresAt });
    }
}
