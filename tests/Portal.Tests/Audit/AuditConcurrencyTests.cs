using Microsoft.EntityFrameworkCore;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

public sealed class AuditConcurrencyTests
{
    [Fact]
    public async Task ConcurrentAppenders_InOneInstance_ProduceOneGapFreeValidChain()
    {
        await using var audit = await new AuditHarness().MigrateAsync();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(task => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await audit.AppendAsync($"task{task}.event{i}");
            }
        })));

        await using var db = await audit.CreateDbAsync();
        var sequences = await db.AuditRecords.OrderBy(r => r.Sequence).Select(r => r.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 160).Select(i => (long)i), sequences);
        Assert.True((await audit.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task TwoInstances_OnOneDatabaseFile_NeverForkTheChain()
    {
        await using var first = await new AuditHarness().MigrateAsync();
        await using var second = new AuditHarness(first.DatabasePath, first.KeyPath);

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 60; i++) { await first.AppendAsync($"a.{i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 60; i++) { await second.AppendAsync($"b.{i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 60; i++) { await first.AppendAsync($"c.{i}"); } }),
            Task.Run(async () => { for (var i = 0; i < 60; i++) { await second.AppendAsync($"d.{i}"); } }));

        await using var db = await first.CreateDbAsync();
        var records = await db.AuditRecords.OrderBy(r => r.Sequence).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 240).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(records.Count, records.Select(r => r.PreviousHash).Distinct().Count());
        Assert.True((await first.VerifyAsync()).IsValid);
    }
}
