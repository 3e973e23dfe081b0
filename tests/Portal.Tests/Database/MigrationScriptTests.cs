using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Portal.Data;
using Portal.Data.Sqlite;
using Portal.Data.SqlServer;

namespace Portal.Tests.Database;

/// <summary>
/// db/ holds the SQL that production runs. These tests fail when a migration was added or changed without
/// regenerating it, or when the model changed without a migration.
/// </summary>
public sealed class MigrationScriptTests
{
    public static TheoryData<string> Providers => new() { "sqlite", "sqlserver" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_HasNoChangesWithoutAMigration(string provider)
    {
        using var db = Create(provider);
        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes with no migration for {provider}. Add one with: {AddCommand(provider)}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void DbScript_MatchesTheMigrations(string provider)
    {
        using var db = Create(provider);
        var expected = Generate(db, provider);
        var path = Path.Combine(RepositoryRoot(), "db", $"{provider}.sql");

        Assert.True(File.Exists(path), $"{path} is missing. Generate it with: {ScriptCommand(provider)}");
        Assert.True(Normalize(File.ReadAllText(path)) == Normalize(expected),
            $"{path} is stale. Regenerate it with: {ScriptCommand(provider)}");
    }

    private static string Generate(PortalDbContext db, string provider)
    {
        // SQLite cannot run idempotent scripts (no IF in its SQL); its script creates the schema from nothing.
        var options = provider == "sqlserver" ? MigrationsSqlGenerationOptions.Idempotent : MigrationsSqlGenerationOptions.Default;
        return db.GetService<IMigrator>().GenerateScript(options: options);
    }

    private static PortalDbContext Create(string provider)
    {
        var builder = new DbContextOptionsBuilder<PortalDbContext>();
        _ = provider == "sqlserver"
            ? builder.UsePortalSqlServer("Server=(local);Database=Portal;Integrated Security=true;TrustServerCertificate=true")
            : builder.UsePortalSqlite("Data Source=:memory:");
        return new PortalDbContext(builder.Options);
    }

    private static string Normalize(string sql) => sql.Replace("\r\n", "\n").Trim();

    private static string ProjectOf(string provider) => provider == "sqlserver" ? "src/Portal.Data.SqlServer" : "src/Portal.Data.Sqlite";

    private static string ScriptCommand(string provider) =>
        $"dotnet ef migrations script {(provider == "sqlserver" ? "--idempotent " : "")}--project {ProjectOf(provider)} --startup-project {ProjectOf(provider)} -o db/{provider}.sql";

    private static string AddCommand(string provider) =>
        $"dotnet ef migrations add NAME --project {ProjectOf(provider)} --startup-project {ProjectOf(provider)} -o Migrations";

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Portal.sln not found above the test binaries.");
    }
}
