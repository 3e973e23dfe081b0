using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Data.Entities;

namespace Portal.Data.Configurations;

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDayRow>
{
    public void Configure(EntityTypeBuilder<UsageDayRow> builder)
    {
        builder.ToTable("UsageDays");
        builder.Property(u => u.Model).HasMaxLength(200);
        builder.Property(u => u.Tier).HasMaxLength(16);
        builder.Property(u => u.ServerlessUsd).HasPrecision(20, 10);
        builder.HasIndex(u => new { u.TenantId, u.Day });
        builder.HasIndex(u => u.Day);
    }
}

internal sealed class BudgetConfiguration : IEntityTypeConfiguration<Budget>
{
    public void Configure(EntityTypeBuilder<Budget> builder)
    {
        builder.ToTable("Budgets");
        builder.Property(b => b.MonthlyUsd).HasPrecision(16, 4);
        builder.Property(b => b.AlertPercentages).HasMaxLength(100);
        builder.Property(b => b.UpdatedBy).HasMaxLength(256);
        // One budget per tenant and per endpoint. No filter: SQL Server then also allows a single tenant budget (null endpoint).
        builder.HasIndex(b => new { b.TenantId, b.EndpointId }).IsUnique().HasFilter(null);
        // SQLite treats NULLs as distinct in that index, so two first saves at once could each insert a tenant budget.
        // This one holds on both providers (the unquoted filter reads the same in both dialects).
        builder.HasIndex(b => b.TenantId).IsUnique().HasFilter("EndpointId IS NULL").HasDatabaseName("IX_Budgets_TenantId_TenantWide");
        builder.HasMany(b => b.Alerts).WithOne().HasForeignKey(a => a.BudgetId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class BudgetAlertConfiguration : IEntityTypeConfiguration<BudgetAlert>
{
    public void Configure(EntityTypeBuilder<BudgetAlert> builder)
    {
        builder.ToTable("BudgetAlerts");
        builder.Property(a => a.Month).HasMaxLength(7);
        builder.Property(a => a.SpendUsd).HasPrecision(20, 10);
        builder.Property(a => a.MonthlyUsd).HasPrecision(16, 4);
        // Told once a month: a second instance's insert of the same threshold fails here.
        builder.HasIndex(a => new { a.BudgetId, a.Month, a.Percent }).IsUnique();
        builder.HasIndex(a => new { a.TenantId, a.Month });
    }
}
