using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Portal.Data.SqlServer;

public static class SqlServerDatabase
{
    public static DbContextOptionsBuilder<PortalDbContext> UsePortalSqlServer(this DbContextOptionsBuilder<PortalDbContext> builder, string connectionString)
    {
        ((DbContextOptionsBuilder)builder).UsePortalSqlServer(connectionString);
        return builder;
    }

    public static DbContextOptionsBuilder UsePortalSqlServer(this DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlServer(connectionString, sql => sql.MigrationsAssembly(typeof(SqlServerDatabase).Assembly.GetName().Name));
}

/// <summary>Lets <c>dotnet ef</c> build the context for this provider without a server.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalSqlServer("Server=(local);Database=Portal;Integrated Security=true;TrustServerCertificate=true").Options);
}
