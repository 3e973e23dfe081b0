using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Sqlite;

namespace Portal.Tests.Support;

/// <summary>
/// The real audit services of one portal instance over a real, migrated SQLite file — what a second instance on the
/// same database file also is (build another harness on the same path).
/// </summary>
public sealed class AuditHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AuditHarness(string? databasePath = null, string? keyPath = null, Action<AuditOptions>? configure = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = databasePath ?? Path.Combine(Directory, "portal.db");
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddDbContextFactory<PortalDbContext>(o => o.UsePortalSqlite($"Data Source={DatabasePath}"));
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Development });
        services.AddOptions<AuditOptions>().Configure(o =>
        {
            o.SigningKeyPath = keyPath ?? Path.Combine(Directory, "audit-key.pem");
            o.ArchiveDirectory = Path.Combine(Directory, "audit-archive");
            configure?.Invoke(o);
        });
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditKeyProvider>();
        services.AddSingleton<AuditAppendQueue>();
        services.AddScoped<AuditContext>();
        services.AddScoped<AuditLog>();
        services.AddScoped<AuditReader>();
        services.AddScoped<AuditExporter>();
        services.AddScoped<AuditCheckpointJob>();
        services.AddScoped<AuditVerificationJob>();
        services.AddScoped<AuditKeyExpiryJob>();
        services.AddScoped<AuditArchiver>();
        _services = services.BuildServiceProvider();
    }

    public string Directory { get; }

    public string DatabasePath { get; }

    public string KeyPath => _services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuditOptions>>().Value.SigningKeyPath!;

    /// <param name="targetMigration">Stop at this migration (an older schema, to test an upgrade); null: the latest.</param>
    public async Task<AuditHarness> MigrateAsync(string? targetMigration = null)
    {
        await using var db = await CreateDbAsync();
        if (targetMigration is null)
        {
            await db.Database.MigrateAsync();
        }
        else
        {
            await db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().MigrateAsync(targetMigration);
        }

        return this;
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Runs <paramref name="work"/> with a service of a fresh scope, as one request or job would.</summary>
    public async Task<TResult> InScopeAsync<T, TResult>(Func<T, Task<TResult>> work) where T : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<T>());
    }

    public async Task<PortalDbContext> CreateDbAsync() =>
        await _services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();

    public async Task<AuditRecord> AppendAsync(string action, Guid? tenantId = null, string? reason = null, object? details = null)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditLog>()
            .RecordAnonymousAsync("tester", "Test Actor", tenantId, action, "test", action, AuditOutcome.Success, reason, details);
    }

    public async Task AppendManyAsync(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await AppendAsync($"test.event_{i}", details: new { index = i });
        }
    }

    public async Task<IReadOnlyList<AuditCheckpoint>> CheckpointAsync()
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditCheckpointJob>().RunAsync();
    }

    public async Task<Portal.Data.Entities.AuditVerificationRun> VerifyAsync(bool full = true)
    {
        await using var scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditVerificationJob>().RunAsync(full);
    }

    public string PublicKeyPem => _services.GetRequiredService<AuditKeyProvider>().PublicKeyPem;

    /// <summary>Raw SQL on the file, as someone with database access would run it, below the application.</summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public Task DropAppendOnlyTriggersAsync() => ExecuteSqlAsync(
        """
        DROP TRIGGER "AuditChainRecords_NoUpdate"; DROP TRIGGER "AuditChainRecords_NoDelete";
        DROP TRIGGER "AuditChainCheckpoints_NoUpdate"; DROP TRIGGER "AuditChainCheckpoints_NoDelete";
        """);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaning.
        }
    }
}
