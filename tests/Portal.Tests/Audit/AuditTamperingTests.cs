using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>Tampering done below the application, on the real SQLite file, as someone with database access would.</summary>
public sealed class AuditTamperingTests : IAsyncLifetime
{
    private AuditHarness _audit = default!;

    public async Task InitializeAsync()
    {
        _audit = await new AuditHarness().MigrateAsync();
        await _audit.AppendManyAsync(12);
        await _audit.CheckpointAsync(); // Signed over #12: a cut tail below it is provable.
    }

    public async Task DisposeAsync() => await _audit.DisposeAsync();

    [Fact]
    public async Task IntactChain_Verifies_UpToItsHead()
    {
        var run = await _audit.VerifyAsync();
        Assert.True(run.IsValid, run.Message);
        Assert.Equal(12, run.VerifiedUpTo);
        Assert.Equal(12, run.AnchoredUpTo);
    }

    [Fact]
    public async Task Triggers_RefuseUpdateAndDelete()
    {
        var update = await Assert.ThrowsAsync<SqliteException>(() =>
            _audit.ExecuteSqlAsync("UPDATE \"AuditChainRecords\" SET \"Reason\" = 'x' WHERE \"Sequence\" = 3"));
        var delete = await Assert.ThrowsAsync<SqliteException>(() =>
            _audit.ExecuteSqlAsync("DELETE FROM \"AuditChainRecords\" WHERE \"Sequence\" = 3"));
        var checkpoint = await Assert.ThrowsAsync<SqliteException>(() =>
            _audit.ExecuteSqlAsync("DELETE FROM \"AuditChainCheckpoints\""));

        Assert.Contains("append-only", update.Message);
        Assert.Contains("append-only", delete.Message);
        Assert.Contains("append-only", checkpoint.Message);
        Assert.True((await _audit.VerifyAsync()).IsValid);
    }

    [Theory]
    [InlineData("\"Reason\" = 'quietly changed'")]
    [InlineData("\"ActorName\" = 'Someone Else'")]
    [InlineData("\"Outcome\" = 'Failure'")]
    [InlineData("\"Details\" = '{\"index\":999}'")]
    [InlineData("\"OccurredAt\" = \"OccurredAt\" + 10000")]
    public async Task EditedField_IsDetected_AtThatRecord(string assignment)
    {
        await _audit.DropAppendOnlyTriggersAsync();
        await _audit.ExecuteSqlAsync($"UPDATE \"AuditChainRecords\" SET {assignment} WHERE \"Sequence\" = 7");

        var run = await _audit.VerifyAsync();

        Assert.False(run.IsValid);
        Assert.Equal(7, run.FirstBadSequence);
    }

    [Fact]
    public async Task DeletedRecord_IsDetected_AtTheMissingNumber()
    {
        await _audit.DropAppendOnlyTriggersAsync();
        await _audit.ExecuteSqlAsync("DELETE FROM \"AuditChainRecords\" WHERE \"Sequence\" = 5");

        var run = await _audit.VerifyAsync();

        Assert.False(run.IsValid);
        Assert.Equal(5, run.FirstBadSequence);
        Assert.Contains("#5", run.Message);
    }

    [Fact]
    public async Task InsertedRecord_IsDetected_AtTheForgedNumber()
    {
        await _audit.DropAppendOnlyTriggersAsync();
        // Make room at #5 and slip in a forged record that links correctly to #4 and carries a valid hash of its own.
        await _audit.ExecuteSqlAsync(
            """
            UPDATE "AuditChainRecords" SET "Sequence" = "Sequence" + 1000 WHERE "Sequence" >= 5;
            UPDATE "AuditChainRecords" SET "Sequence" = "Sequence" - 999 WHERE "Sequence" >= 1005;
            """);
        await using (var db = await _audit.CreateDbAsync())
        {
            var four = await db.AuditRecords.AsNoTracking().SingleAsync(r => r.Sequence == 4);
            var forged = Portal.Core.Audit.AuditRecord.Seal(Portal.Core.Audit.AuditChainHead.Of(four), new Portal.Core.Audit.AuditEntry
            {
                OccurredAt = four.OccurredAt.AddMilliseconds(1), ActorId = "intruder", ActorName = "Intruder", ActorRoles = "",
                ActorIp = "10.0.0.9", Action = "member.added", ResourceType = "member", ResourceId = "x",
                Outcome = Portal.Core.Audit.AuditOutcome.Success, CorrelationId = "forged",
            });
            db.AuditRecords.Add(forged);
            await db.SaveChangesAsync();
        }

        var run = await _audit.VerifyAsync();

        Assert.False(run.IsValid);
        Assert.Equal(5, run.FirstBadSequence);
    }

    [Fact]
    public async Task SwappedRecords_AreDetected_AtTheLowerNumber()
    {
        await _audit.DropAppendOnlyTriggersAsync();
        await _audit.ExecuteSqlAsync(
            """
            UPDATE "AuditChainRecords" SET "Sequence" = -3 WHERE "Sequence" = 3;
            UPDATE "AuditChainRecords" SET "Sequence" = 3 WHERE "Sequence" = 4;
            UPDATE "AuditChainRecords" SET "Sequence" = 4 WHERE "Sequence" = -3;
            """);

        var run = await _audit.VerifyAsync();

        Assert.False(run.IsValid);
        Assert.Equal(3, run.FirstBadSequence);
    }

    [Fact]
    public async Task CutTail_IsDetected_AfterTheLastRecordLeft()
    {
        await _audit.DropAppendOnlyTriggersAsync();
        await _audit.ExecuteSqlAsync("DELETE FROM \"AuditChainRecords\" WHERE \"Sequence\" > 8");

        var run = await _audit.VerifyAsync();

        Assert.False(run.IsValid);
        Assert.Equal(9, run.FirstBadSequence);
        Assert.Equal("TailCut", run.Problem);
    }

    [Fact]
    public async Task BrokenChain_EntersTheTrailItself_Once()
    {
        await _audit.DropAppendOnlyTriggersAsync();
        await _audit.ExecuteSqlAsync("UPDATE \"AuditChainRecords\" SET \"Reason\" = 'x' WHERE \"Sequence\" = 2");

        await _audit.VerifyAsync();
        await _audit.VerifyAsync();

        await using var db = await _audit.CreateDbAsync();
        var alarms = await db.AuditRecords.Where(r => r.Action == "audit.chain_broken").ToListAsync();
        var alarm = Assert.Single(alarms);
        Assert.Equal("2", alarm.ResourceId);
    }
}
