using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Portal.Data;
using Portal.Data.Sqlite;
using Portal.Data.SqlServer;

namespace Portal.Hosting;

public static class DataSetup
{
    public static DatabaseProvider GetDatabaseProvider(this IConfiguration configuration) =>
        configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);

    public static IHostApplicationBuilder AddPortalData(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration.GetDatabaseProvider();
        var connectionString = builder.Configuration.GetConnectionString("Portal")
            ?? throw new InvalidOperationException("ConnectionStrings:Portal is not set.");
        if (provider == DatabaseProvider.Sqlite)
        {
            EnsureSqliteDirectory(connectionString);
        }

        void Configure(DbContextOptionsBuilder options)
        {
            _ = provider switch
            {
                DatabaseProvider.SqlServer => options.UsePortalSqlServer(connectionString),
                _ => options.UsePortalSqlite(connectionString),
            };
            options.ConfigureWarnings(w => w.Throw(RelationalEventId.PendingModelChangesWarning));
        }

        // One context per operation (pages use the factory); the scoped context serves Identity and OpenIddict.
        builder.Services.AddDbContextFactory<PortalDbContext>(Configure);
        builder.Services.AddDbContext<PortalDbContext>(Configure, optionsLifetime: ServiceLifetime.Singleton);
        builder.Services.AddDataProtection()
            .SetApplicationName("Portal")
            .PersistKeysToDbContext<PortalDbContext>();
        return builder;
    }

    /// <summary>Applies migrations at start where configured (Development by default); production runs the scripts in db/.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (!app.Configuration.GetValue<bool>("Database:MigrateOnStart"))
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        await db.Database.MigrateAsync();
        if (app.Configuration.GetDatabaseProvider() == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging: readers (pages, the gateway's snapshot) never block the writers (reconciler, samples, audit).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        await DevelopmentSeeder.SeedAsync(scope.ServiceProvider, app.Configuration, app.Logger);
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
