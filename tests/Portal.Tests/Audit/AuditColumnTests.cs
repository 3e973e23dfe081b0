using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Sqlite;
using Portal.Data.SqlServer;

namespace Portal.Tests.Audit;

/// <summary>
/// Sealing fits each field to <see cref="AuditBounds"/>; that is only safe while the bounds are the columns. Both
/// providers' models are read (no SQL Server runs in the tests, but its model is built without one).
/// </summary>
public sealed class AuditColumnTests
{
    public static TheoryData<string, int> Bounds => new()
    {
        { nameof(AuditRecord.ActorId), AuditBounds.ActorId },
        { nameof(AuditRecord.ActorName), AuditBounds.ActorName },
        { nameof(AuditRecord.ActorRoles), AuditBounds.ActorRoles },
        { nameof(AuditRecord.ActorIp), AuditBounds.ActorIp },
        { nameof(AuditRecord.Action), AuditBounds.Action },
        { nameof(AuditRecord.ResourceType), AuditBounds.ResourceType },
        { nameof(AuditRecord.ResourceId), AuditBounds.ResourceId },
        { nameof(AuditRecord.Reason), AuditBounds.Reason },
        { nameof(AuditRecord.CorrelationId), AuditBounds.CorrelationId },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void SqliteColumn_HasTheBoundSealingFitsTo(string field, int bound)
    {
        using var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>().UsePortalSqlite("Data Source=:memory:").Options);

        Assert.Equal(bound, db.Model.FindEntityType(typeof(AuditRecord))!.FindProperty(field)!.GetMaxLength());
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void SqlServerColumn_IsAnNvarcharOfTheBoundSealingFitsTo(string field, int bound)
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var property = db.Model.FindEntityType(typeof(AuditRecord))!.FindProperty(field)!;

        Assert.Equal(bound, property.GetMaxLength());
        Assert.Equal($"nvarchar({bound})", property.GetRelationalTypeMapping().StoreType);
    }

    [Fact]
    public void EveryTextColumnOfTheRecord_HasABound()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var unbounded = db.Model.FindEntityType(typeof(AuditRecord))!.GetProperties()
            .Where(p => p.ClrType == typeof(string) && p.GetMaxLength() is null)
            .Select(p => p.Name);

        // Details is the one text without a column limit; sealing bounds it (AuditBounds.Details) all the same.
        Assert.Equal([nameof(AuditRecord.Details)], unbounded);
    }
}
