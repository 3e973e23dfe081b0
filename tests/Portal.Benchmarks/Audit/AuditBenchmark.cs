using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Sqlite;

namespace Portal.Benchmarks.Audit;

/// <summary>
/// First the append rate: appends into 100 tenants' chains from 100 parallel appenders against appends into one chain
/// one at a time (the rate of a single chain behind one lock, one transaction per record), same run, same file kind.
/// Then the auditor's console over a large trail: builds a real chain of N records (default 1,000,000) in a migrated
/// SQLite file (as the legacy segment an upgraded portal keeps), then times the first page of filtered queries (as the
/// Audit page runs them) and full verification.
/// </summary>
public static class AuditBenchmark
{
    private static readonly string[] Actions =
    [
        "member.added", "member.role_changed", "member.disabled", "auth.signed_in", "auth.sign_in_failed",
        "deployment.created", "deployment.scaled", "deployment.stopped", "endpoint.flipped", "endpoint.shadow_set",
        "key.created", "key.revoked", "region_lock.changed", "audit.exported", "support.look_in",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 && args[0] == "--records" ? int.Parse(args[1]) : 1_000_000;
        await AuditAppendBenchmark.RunAsync(appends: 3_000);
        var folder = Directory.CreateTempSubdirectory("portal-audit-bench-");
        var path = Path.Combine(folder.FullName, "portal.db");
        var options = new DbContextOptionsBuilder<PortalDbContext>().UsePortalSqlite($"Data Source={path}").Options;
        await using (var db = new PortalDbContext(options))
        {
            await db.Database.MigrateAsync();
        }

        var tenants = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
        using var signer = AuditSigner.Create();
        var build = Stopwatch.StartNew();
        await FillAsync(path, count, tenants, signer);
        build.Stop();
        Console.WriteLine($"Built a chain of {count:N0} records in {build.Elapsed.TotalSeconds:F1} s ({new FileInfo(path).Length / 1048576.0:F0} MiB).");

        var factory = new PooledDbContextFactory<PortalDbContext>(options);
        var reader = new AuditReader(factory);
        var scope = new AuditScope(tenants[3], "bench");
        var rows = new List<(string Query, double P50, double P95)>
        {
            await TimeAsync("first page, one tenant, no filter", () => reader.PageAsync(scope, new AuditFilter(), null, null, 50)),
            await TimeAsync("first page, action prefix \"deployment.\"", () => reader.PageAsync(scope, new AuditFilter { Action = "deployment." }, null, null, 50)),
            await TimeAsync("first page, actor + outcome Failure", () => reader.PageAsync(scope, new AuditFilter { Actor = "Actor 7", Outcome = AuditOutcome.Failure }, null, null, 50)),
            await TimeAsync("first page, last 24 h of a 30-day trail", () => reader.PageAsync(scope,
                new AuditFilter { From = DateTimeOffset.UtcNow.AddDays(-1) }, null, null, 50)),
            await TimeAsync("page 1,000 deep (keyset)", async () =>
            {
                var before = (await reader.PageAsync(scope, new AuditFilter(), null, null, 50)).Records[^1].Sequence - 50_000;
                return await reader.PageAsync(scope, new AuditFilter(), before, null, 50);
            }),
        };

        await using var verifyDb = await factory.CreateDbContextAsync();
        var checkpoints = await verifyDb.AuditCheckpoints.AsNoTracking().ToListAsync();
        var verify = Stopwatch.StartNew();
        var result = AuditChainVerifier.Verify(
            verifyDb.AuditRecords.AsNoTracking().Where(r => r.Chain == AuditChain.Legacy).OrderBy(r => r.Sequence).AsEnumerable(), checkpoints, signer.CreateVerifier());
        verify.Stop();

        Console.WriteLine();
        Console.WriteLine($"| query over {count:N0} records | p50 (ms) | p95 (ms) |");
        Console.WriteLine("|---|---:|---:|");
        foreach (var (query, p50, p95) in rows)
        {
            Console.WriteLine($"| {query} | {p50:F1} | {p95:F1} |");
        }

        Console.WriteLine();
        Console.WriteLine($"Verification: {(result.IsValid ? "valid" : "INVALID: " + result.Message)}, {result.RecordsVerified:N0} records and " +
            $"{result.CheckpointsVerified:N0} checkpoints in {verify.Elapsed.TotalSeconds:F1} s = {result.RecordsVerified / verify.Elapsed.TotalSeconds:N0} records/s " +
            "(read from SQLite, hashed and linked).");
        SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
        return result.IsValid ? 0 : 1;
    }

    private static async Task FillAsync(string path, int count, Guid[] tenants, AuditSigner signer)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync();
        }

        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var step = TimeSpan.FromDays(30).Ticks / count;
        var head = AuditChainHead.Genesis;
        const int batch = 20_000;
        for (var offset = 0; offset < count; offset += batch)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                """
                INSERT INTO "AuditChainRecords" ("Chain","Sequence","OccurredAt","TenantId","ActorId","ActorName","ActorRoles","ActorIp","Action",
                  "ResourceType","ResourceId","Outcome","Reason","Details","CorrelationId","PreviousHash","Hash")
                VALUES ('legacy',$s,$t,$tenant,$aid,$an,$ar,$ip,$a,$rt,$rid,$o,$r,$d,$c,$p,$h)
                """;
            var parameters = new[] { "$s", "$t", "$tenant", "$aid", "$an", "$ar", "$ip", "$a", "$rt", "$rid", "$o", "$r", "$d", "$c", "$p", "$h" }
                .Select(name => insert.Parameters.Add(new SqliteParameter(name, null))).ToArray();
            for (var i = offset; i < Math.Min(count, offset + batch); i++)
            {
                var actor = random.Next(50);
                var action = Actions[random.Next(Actions.Length)];
                var record = AuditRecord.Seal(head, new AuditEntry
                {
                    OccurredAt = start.AddTicks(step * i),
                    TenantId = tenants[random.Next(tenants.Length)],
                    ActorId = $"user-{actor}",
                    ActorName = $"Actor {actor}",
                    ActorRoles = "TenantAdmin",
                    ActorIp = $"192.0.2.{actor}",
                    Action = action,
                    ResourceType = action.Split('.')[0],
                    ResourceId = $"res-{random.Next(10_000)}",
                    Outcome = random.Next(20) == 0 ? AuditOutcome.Failure : AuditOutcome.Success,
                    Reason = random.Next(4) == 0 ? "scheduled change window" : null,
                    Details = "{\"before\":{\"replicas\":" + random.Next(8) + "},\"after\":{\"replicas\":" + random.Next(8) + "}}",
                    CorrelationId = Guid.NewGuid().ToString("n"),
                });
                object?[] values =
                [
                    record.Sequence, record.OccurredAt.UtcTicks, record.TenantId.ToString()!.ToUpperInvariant(), record.ActorId, record.ActorName,
                    record.ActorRoles, record.ActorIp, record.Action, record.ResourceType, record.ResourceId, record.Outcome.ToString(),
                    record.Reason, record.Details, record.CorrelationId, record.PreviousHash, record.Hash,
                ];
                for (var p = 0; p < values.Length; p++)
                {
                    parameters[p].Value = values[p] ?? DBNull.Value;
                }

                await insert.ExecuteNonQueryAsync();
                head = AuditChainHead.Of(record);
                if (record.Sequence % 10_000 == 0)
                {
                    var checkpoint = signer.Sign(head, record.OccurredAt);
                    await using var sign = connection.CreateCommand();
                    sign.Transaction = transaction;
                    sign.CommandText = "INSERT INTO \"AuditChainCheckpoints\" (\"Chain\",\"Sequence\",\"Hash\",\"SignedAt\",\"Signature\",\"KeyId\") VALUES ('legacy',$s,$h,$t,$sig,$k)";
                    sign.Parameters.AddWithValue("$s", checkpoint.Sequence);
                    sign.Parameters.AddWithValue("$h", checkpoint.Hash);
                    sign.Parameters.AddWithValue("$t", checkpoint.SignedAt.UtcTicks);
                    sign.Parameters.AddWithValue("$sig", checkpoint.Signature);
                    sign.Parameters.AddWithValue("$k", checkpoint.KeyId);
                    await sign.ExecuteNonQueryAsync();
                }
            }

            await transaction.CommitAsync();
        }
    }

    private static async Task<(string, double, double)> TimeAsync(string name, Func<Task<AuditPage>> query)
    {
        await query(); // warm the cache and the query plan
        var timings = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            var page = await query();
            watch.Stop();
            if (page.Records.Count == 0)
            {
                throw new InvalidOperationException($"The query '{name}' returned nothing.");
            }

            timings.Add(watch.Elapsed.TotalMilliseconds);
        }

        timings.Sort();
        return (name, timings[timings.Count / 2], timings[(int)(timings.Count * 0.95)]);
    }
}
