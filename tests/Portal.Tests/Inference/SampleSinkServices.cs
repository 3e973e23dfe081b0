using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Sqlite;
using Portal.Inference;
using Portal.Residency;

namespace Portal.Tests.Inference;

/// <summary>The database sample sink as the portal wires it, on a SQLite file: one call per portal process a test stands for.</summary>
internal static class SampleSinkServices
{
    public static async Task<ServiceProvider> CreateAsync(DirectoryInfo folder, bool migrate = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDbContextFactory<PortalDbContext>(o => o.UsePortalSqlite($"Data Source={Path.Combine(folder.FullName, "portal.db")}"));
        services.AddSingleton<GatewayResidencyRefusals>();
        services.AddSingleton<Portal.Migration.DryRun.DryRunTraffic>();
        services.AddSingleton<DatabaseSampleSink>();
        var provider = services.BuildServiceProvider();
        if (migrate)
        {
            await using var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
            await db.Database.MigrateAsync();
        }

        return provider;
    }
}
