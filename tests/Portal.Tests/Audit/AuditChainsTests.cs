using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>One chain per tenant and one for the platform, on a real SQLite file, in one instance or two.</summary>
public sealed class AuditChainsTests
{
    private static readonly Guid Acme = new("aaaaaaaa-1111-4000-8000-000000000001");
    private static readonly Guid Globex = new("bbbbbbbb-2222-4000-8000-000000000002");

    [Fact]
    public async Task EachTenantAndThePlatform_GetTheirOwnGapFreeChain()
    {
        await using var audit = await new AuditHarness().MigrateAsync();

        for (var i = 0; i < 3; i++)
        {
            await audit.AppendAsync($"acme.{i}", Acme);
            await audit.AppendAsync($"globex.{i}", Globex);
            await audit.AppendAsync($"platform.{i}");
        }

        await using var db = await audit.CreateDbAsync();
        var chains = await db.AuditRecords.GroupBy(r => r.Chain).Select(g => new { g.Key, Sequences = g.Select(r => r.Sequence).ToList() }).ToListAsync();
        Assert.Equal(3, chains.Count);
        Assert.All(chains, chain => Assert.Equal([1L, 2, 3], chain.Sequences.Order()));
        Assert.Equal(3, await db.AuditRecords.CountAsync(r => r.Chain == Acme.ToString() && r.TenantId == Acme));
        Assert.True((await audit.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task TwoInstancesOnOneDatabase_AppendingIntoTwoTenantsAtOnce_LeaveBothChainsCompleteWithoutAFork()
    {
        await using var first = await new AuditHarness().MigrateAsync();
        await using var second = new AuditHarness(first.DatabasePath, first.KeyPath);

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await first.AppendAsync($"acme.a{i}", Acme); } }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await second.AppendAsync($"acme.b{i}", Acme); } }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await first.AppendAsync($"globex.a{i}", Globex); } }),
            Task.Run(async () => { for (var i = 0; i < 40; i++) { await second.AppendAsync($"globex.b{i}", Globex); } }));

        await using var db = await first.CreateDbAsync();
        foreach (var tenant in new[] { Acme, Globex })
        {
            var chain = await db.AuditRecords.Where(r => r.Chain == tenant.ToString()).OrderBy(r => r.Sequence).ToListAsync();
            Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), chain.Select(r => r.Sequence));
            Assert.Equal(chain.Count, chain.Select(r => r.PreviousHash).Distinct().Count());
            Assert.All(chain.Skip(1).Zip(chain), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        }

        Assert.True((await first.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task ConcurrentAppendsOfManyTenants_AreCommittedInGroups()
    {
        await using var audit = await new AuditHarness().MigrateAsync();
        var tenants = Enumerable.Range(1, 20).Select(i => new Guid($"cccccccc-0000-4000-8000-{i:D12}")).ToList();

        // Another writer holds the database's write lock, so the first group cannot commit until every append has
        // queued: whatever the machine's speed, the appends that wait behind a committing group go in the next one.
        await using var otherWriter = new SqliteConnection($"Data Source={audit.DatabasePath};Pooling=False");
        await otherWriter.OpenAsync();
        await using (var begin = otherWriter.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        var queued = 0;
        var appends = tenants.SelectMany(tenant => Enumerable.Range(0, 5).Select(i => Task.Run(async () =>
        {
            var append = audit.AppendAsync($"event.{i}", tenant);
            Interlocked.Increment(ref queued);
            await append;
        }))).ToList();
        // The appender that took the writer is held inside its commit; the other 99 have queued once their calls return.
        while (Volatile.Read(ref queued) < 99)
        {
            await Task.Delay(10);
        }

        await using (var rollback = otherWriter.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync();
        }

        await Task.WhenAll(appends);

        var queue = audit.Get<AuditAppendQueue>();
        Assert.True(queue.Commits <= 2, $"100 appends took {queue.Commits} commits");
        await using var db = await audit.CreateDbAsync();
        Assert.All(await db.AuditRecords.GroupBy(r => r.Chain).Select(g => g.Max(r => r.Sequence)).ToListAsync(), last => Assert.Equal(5, last));
        Assert.True((await audit.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task CheckpointJob_SignsEachChainThatMoved_Once()
    {
        await using var audit = await new AuditHarness().MigrateAsync();
        await audit.AppendAsync("acme.one", Acme);
        await audit.AppendAsync("platform.one");

        var signed = await audit.CheckpointAsync();
        var again = await audit.CheckpointAsync();

        Assert.Equal([Acme.ToString(), AuditChain.Platform], signed.Select(c => c.Chain).Order(StringComparer.Ordinal));
        Assert.Empty(again);
        using var verifier = AuditCheckpointVerifier.FromPem(audit.PublicKeyPem);
        Assert.All(signed, checkpoint => Assert.True(verifier.Verify(checkpoint)));
        Assert.False(verifier.Verify(signed[0] with { Chain = signed[1].Chain, Sequence = signed[1].Sequence }));
    }

    [Fact]
    public async Task ExistingRecords_BecomeTheFrozenLegacySegment_AndNewChainsStartFromItsHead()
    {
        await using var audit = await new AuditHarness().MigrateAsync("20261207002339_EndpointRequirementsAndEngineReadings");
        var legacyHead = AuditChainHead.Genesis;
        var values = new StringBuilder();
        for (var n = 1; n <= 5; n++)
        {
            var record = AuditRecord.Seal(legacyHead, new AuditEntry
            {
                OccurredAt = new DateTimeOffset(2026, 1, 1, 0, 0, n, TimeSpan.Zero), TenantId = n % 2 == 0 ? Acme : null,
                ActorId = "u", ActorName = "Before", ActorRoles = "", ActorIp = "127.0.0.1", Action = $"old.{n}",
                ResourceType = "test", ResourceId = $"{n}", Outcome = AuditOutcome.Success, CorrelationId = $"c{n}",
            });
            legacyHead = AuditChainHead.Of(record);
            values.Append(n == 1 ? "" : ",").Append(
                $"({record.Sequence}, {record.OccurredAt.UtcTicks}, {(record.TenantId is { } t ? $"'{t.ToString().ToUpperInvariant()}'" : "NULL")}, "
                + $"'u', 'Before', '', '127.0.0.1', '{record.Action}', 'test', '{n}', 'Success', NULL, NULL, 'c{n}', '{record.PreviousHash}', '{record.Hash}')");
        }

        await audit.ExecuteSqlAsync("INSERT INTO \"AuditRecords\" (\"Sequence\", \"OccurredAt\", \"TenantId\", \"ActorId\", \"ActorName\", \"ActorRoles\", "
            + "\"ActorIp\", \"Action\", \"ResourceType\", \"ResourceId\", \"Outcome\", \"Reason\", \"Details\", \"CorrelationId\", \"PreviousHash\", \"Hash\") VALUES "
            + values + ";");
        await audit.MigrateAsync();

        var first = await audit.AppendAsync("new.acme", Acme);
        var platform = await audit.AppendAsync("new.platform");

        Assert.Equal((6L, legacyHead.Hash), (first.Sequence, first.PreviousHash));
        Assert.Equal((6L, legacyHead.Hash), (platform.Sequence, platform.PreviousHash));
        await using (var db = await audit.CreateDbAsync())
        {
            Assert.Equal(5, await db.AuditRecords.CountAsync(r => r.Chain == AuditChain.Legacy));
            Assert.Equal(legacyHead.Hash, await db.AuditRecords.Where(r => r.Chain == AuditChain.Legacy && r.Sequence == 5).Select(r => r.Hash).SingleAsync());
        }

        var run = await audit.VerifyAsync();
        Assert.True(run.IsValid, run.Message);
        Assert.Equal(7, run.RecordsVerified);
    }

    [Fact]
    public async Task TenantExport_VerifiesOfflineAsTheWholeChain_WithItsCheckpoint()
    {
        await using var audit = await new AuditHarness().MigrateAsync();
        for (var i = 0; i < 4; i++)
        {
            await audit.AppendAsync($"acme.{i}", Acme);
            await audit.AppendAsync($"globex.{i}", Globex);
        }

        await audit.CheckpointAsync();
        var text = await audit.InScopeAsync<AuditExporter, string>(async exporter =>
        {
            var writer = new StringWriter();
            await exporter.WriteJsonlAsync(writer, new AuditScope(Acme, "Acme"), new AuditFilter(), DateTimeOffset.UtcNow);
            return writer.ToString();
        });

        using var keys = AuditKeyDocument.Read(audit.Get<AuditKeyProvider>().KeyDocument());
        var result = AuditExportVerifier.Verify(new StringReader(text), keys);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(AuditExportCoverage.WholeChain, result.Coverage);
        Assert.Equal(4, result.RecordCount);
        Assert.Equal(1, result.CheckpointsVerified);
    }
}
