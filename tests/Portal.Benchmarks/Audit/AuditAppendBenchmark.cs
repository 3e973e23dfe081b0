using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Sqlite;

namespace Portal.Benchmarks.Audit;

/// <summary>
/// Audit append rates through the portal's own append queue on a migrated SQLite file: one chain with one appender
/// at a time (every record its own transaction, as when all appends queued behind one lock), one chain with 100
/// appenders, and 100 tenants' chains with one appender each. Each case gets a fresh file; appends are bounded.
/// </summary>
public static class AuditAppendBenchmark
{
    public static async Task RunAsync(int appends)
    {
        var tenants = Enumerable.Range(1, 100).Select(i => new Guid($"00000000-0000-4000-8000-{i:D12}")).ToArray();
        var single = await MeasureAsync(appends / 3, 1, _ => tenants[0]);
        var oneChainParallel = await MeasureAsync(appends, 100, _ => tenants[0]);
        var tenantsParallel = await MeasureAsync(appends, 100, appender => tenants[appender]);

        Console.WriteLine("| audit appends (SQLite file, through the append queue) | appends | commits | appends/s |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| one chain, one appender at a time | {single.Appends:N0} | {single.Commits:N0} | {single.Rate:N0} |");
        Console.WriteLine($"| one chain, 100 appenders | {oneChainParallel.Appends:N0} | {oneChainParallel.Commits:N0} | {oneChainParallel.Rate:N0} |");
        Console.WriteLine($"| 100 tenants, one appender each, in parallel | {tenantsParallel.Appends:N0} | {tenantsParallel.Commits:N0} | {tenantsParallel.Rate:N0} |");
        Console.WriteLine($"100 tenants in parallel: {tenantsParallel.Rate / single.Rate:F1}x the single-chain rate.");
        Console.WriteLine();
    }

    private sealed record Measurement(int Appends, long Commits, double Rate);

    private static async Task<Measurement> MeasureAsync(int appends, int appenders, Func<int, Guid> tenantOf)
    {
        var folder = Directory.CreateTempSubdirectory("portal-audit-append-bench-");
        var options = new DbContextOptionsBuilder<PortalDbContext>().UsePortalSqlite($"Data Source={Path.Combine(folder.FullName, "portal.db")}").Options;
        await using (var db = new PortalDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        var queue = new AuditAppendQueue(new PooledDbContextFactory<PortalDbContext>(options), NullLogger<AuditAppendQueue>.Instance);
        var perAppender = appends / appenders;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, appenders).Select(appender => Task.Run(async () =>
        {
            for (var i = 0; i < perAppender; i++)
            {
                await queue.AppendAsync(Entry(tenantOf(appender), appender, i), CancellationToken.None);
            }
        })));
        watch.Stop();

        await using (var db = new PortalDbContext(options))
        {
            foreach (var chain in await db.AuditRecords.Select(r => r.Chain).Distinct().ToListAsync())
            {
                var result = AuditChainVerifier.Verify(db.AuditRecords.AsNoTracking().Where(r => r.Chain == chain).OrderBy(r => r.Sequence).AsEnumerable(), []);
                if (!result.IsValid)
                {
                    throw new InvalidOperationException($"Chain {chain} is broken after the benchmark: {result.Message}");
                }
            }
        }

        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
        var total = perAppender * appenders;
        return new Measurement(total, queue.Commits, total / watch.Elapsed.TotalSeconds);
    }

    private static AuditEntry Entry(Guid tenant, int appender, int i) => new()
    {
        OccurredAt = DateTimeOffset.UtcNow,
        TenantId = tenant,
        ActorId = $"user-{appender}",
        ActorName = $"Actor {appender}",
        ActorRoles = "TenantAdmin",
        ActorIp = "192.0.2.1",
        Action = "deployment.scaled",
        ResourceType = "deployment",
        ResourceId = $"d-{i}",
        Outcome = AuditOutcome.Success,
        Details = "{\"before\":{\"replicas\":1},\"after\":{\"replicas\":2}}",
        CorrelationId = Guid.NewGuid().ToString("n"),
    };
}
