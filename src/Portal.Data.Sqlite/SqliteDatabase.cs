using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Data.Sqlite;

public static class SqliteDatabase
{
    public static DbContextOptionsBuilder<PortalDbContext> UsePortalSqlite(this DbContextOptionsBuilder<PortalDbContext> builder, string connectionString)
    {
        ((DbContextOptionsBuilder)builder).UsePortalSqlite(connectionString);
        return builder;
    }

    public static DbContextOptionsBuilder UsePortalSqlite(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString, sqlite => sqlite.MigrationsAssembly(typeof(SqliteDatabase).Assembly.GetName().Name));
}

/// <summary>Lets <c>dotnet ef</c> build the context for this provider without starting the portal.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UsePortalSqlite("Data Source=design-time.db").Options);
}
