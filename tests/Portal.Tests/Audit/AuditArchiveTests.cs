using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>
/// The retention archive on a real SQLite file: old records leave the live table only into signed files that verify
/// offline as they are, and the live chain verifies from the archive boundary on.
/// </summary>
public sealed class AuditArchiveTests : IAsyncLifetime
{
    private static readonly Guid Acme = new("aaaaaaaa-4444-4000-8000-000000000004");
    private AuditHarness _audit = default!;
    private DateTimeOffset _cutoff;

    public async Task InitializeAsync()
    {
        _audit = await new AuditHarness().MigrateAsync();
        for (var i = 1; i <= 6; i++)
        {
            await _audit.AppendAsync($"acme.old_{i}", Acme, details: new { index = i });
            await _audit.AppendAsync($"platform.old_{i}");
        }

        await _audit.CheckpointAsync();
        // Times are stored to the millisecond: step past the old records' last one before taking the cutoff.
        await Task.Delay(20);
        _cutoff = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        for (var i = 1; i <= 3; i++)
        {
            await _audit.AppendAsync($"acme.new_{i}", Acme);
        }
    }

    public async Task DisposeAsync() => await _audit.DisposeAsync();

    private Task<IReadOnlyList<AuditArchive>> ArchiveAsync() =>
        _audit.InScopeAsync<AuditArchiver, IReadOnlyList<AuditArchive>>(archiver => archiver.ArchiveAsync(_cutoff));

    private async Task<AuditExportVerification> VerifyFileAsync(AuditArchive archive)
    {
        var path = _audit.InScopeAsync<AuditArchiver, string>(a => Task.FromResult(a.PathOf(archive)));
        using var keys = AuditKeyDocument.Read(_audit.Get<AuditKeyProvider>().KeyDocument());
        using var text = new StreamReader(await path);
        return AuditExportVerifier.Verify(text, keys);
    }

    [Fact]
    public async Task ArchivedPeriod_VerifiesFromItsFile_AndTheLiveChainFromTheBoundaryOn()
    {
        var archives = await ArchiveAsync();

        var acme = archives.Where(a => a.Chain == AuditChain.Of(Acme)).ToList();
        Assert.Equal(6, acme.Sum(a => a.RecordCount));
        Assert.Equal(5, archives.Where(a => a.Chain == AuditChain.Platform).Sum(a => a.RecordCount)); // Its newest stays live.
        foreach (var archive in archives)
        {
            var verified = await VerifyFileAsync(archive);
            Assert.True(verified.IsValid, verified.Message);
            Assert.Equal((archive.RecordCount, archive.LastSequence, archive.LastHash),
                (verified.RecordCount, verified.Manifest!.LastSequence, verified.Manifest.LastHash));
        }

        await using (var db = await _audit.CreateDbAsync())
        {
            var boundary = acme.Max(a => a.LastSequence);
            Assert.False(await db.AuditRecords.AnyAsync(r => r.Chain == AuditChain.Of(Acme) && r.Sequence <= boundary));
            var firstLive = await db.AuditRecords.Where(r => r.Chain == AuditChain.Of(Acme)).OrderBy(r => r.Sequence).FirstAsync();
            Assert.Equal((boundary + 1, acme.MaxBy(a => a.LastSequence)!.LastHash), (firstLive.Sequence, firstLive.PreviousHash));
            Assert.Equal(archives.Count, await db.AuditRecords.CountAsync(r => r.Action == "audit.archived"));
        }

        var run = await _audit.VerifyAsync();
        Assert.True(run.IsValid, run.Message);

        // The tenant's export now starts at the boundary and still verifies offline as a whole chain.
        var export = await _audit.InScopeAsync<AuditExporter, string>(async exporter =>
        {
            var writer = new StringWriter();
            await exporter.WriteJsonlAsync(writer, new AuditScope(Acme, "Acme"), new AuditFilter(), DateTimeOffset.UtcNow);
            return writer.ToString();
        });
        using var keys = AuditKeyDocument.Read(_audit.Get<AuditKeyProvider>().KeyDocument());
        var live = AuditExportVerifier.Verify(new StringReader(export), keys);
        Assert.True(live.IsValid, live.Message);
        Assert.Equal(AuditExportCoverage.WholeChain, live.Coverage);
        Assert.Equal(4, live.RecordCount); // Three new records and the record of the archiving.
    }

    [Fact]
    public async Task RerunningTheArchive_ArchivesNothingTwice()
    {
        var first = await ArchiveAsync();
        // The platform's newest old record stayed live as its head; the record of the first archiving now follows it.
        var second = await ArchiveAsync();
        var third = await ArchiveAsync();

        Assert.NotEmpty(first);
        Assert.Equal((AuditChain.Platform, 1L), (Assert.Single(second).Chain, second[0].RecordCount));
        Assert.Empty(third);
        foreach (var chain in first.Concat(second).GroupBy(a => a.Chain))
        {
            var ranges = chain.OrderBy(a => a.FirstSequence).ToList();
            Assert.All(ranges.Zip(ranges.Skip(1)), pair => Assert.Equal(pair.First.LastSequence + 1, pair.Second.FirstSequence));
        }

        await using var db = await _audit.CreateDbAsync();
        Assert.Equal(first.Count + second.Count, await db.AuditArchives.CountAsync());
        Assert.Equal(first.Count + second.Count, await db.AuditRecords.CountAsync(r => r.Action == "audit.archived"));
        Assert.True((await _audit.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task DirectDelete_OfARecordNoArchiveCovers_IsStillRefused()
    {
        var archives = await ArchiveAsync();
        var boundary = archives.Where(a => a.Chain == AuditChain.Of(Acme)).Max(a => a.LastSequence);

        var live = await Assert.ThrowsAsync<SqliteException>(() => _audit.ExecuteSqlAsync(
            $"DELETE FROM \"AuditChainRecords\" WHERE \"Chain\" = '{AuditChain.Of(Acme)}' AND \"Sequence\" = {boundary + 1}"));
        var otherChain = await Assert.ThrowsAsync<SqliteException>(() => _audit.ExecuteSqlAsync(
            $"DELETE FROM \"AuditChainRecords\" WHERE \"Chain\" = 'platform' AND \"Sequence\" = (SELECT MAX(\"Sequence\") FROM \"AuditChainRecords\" WHERE \"Chain\" = 'platform')"));
        var register = await Assert.ThrowsAsync<SqliteException>(() => _audit.ExecuteSqlAsync("DELETE FROM \"AuditArchives\""));
        var edit = await Assert.ThrowsAsync<SqliteException>(() => _audit.ExecuteSqlAsync("UPDATE \"AuditArchives\" SET \"LastSequence\" = 999999"));

        Assert.Contains("append-only", live.Message);
        Assert.Contains("append-only", otherChain.Message);
        Assert.Contains("append-only", register.Message);
        Assert.Contains("append-only", edit.Message);
        Assert.True((await _audit.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task DirectDelete_BeforeAnyArchive_IsRefused()
    {
        var delete = await Assert.ThrowsAsync<SqliteException>(() => _audit.ExecuteSqlAsync("DELETE FROM \"AuditChainRecords\" WHERE \"Sequence\" = 3"));

        Assert.Contains("append-only", delete.Message);
    }

    [Fact]
    public async Task TamperedArchiveFile_IsDetected_OfflineAndByTheRegister()
    {
        var archive = (await ArchiveAsync()).First(a => a.Chain == AuditChain.Of(Acme));
        var path = await _audit.InScopeAsync<AuditArchiver, string>(a => Task.FromResult(a.PathOf(archive)));
        var lines = await File.ReadAllLinesAsync(path);
        var edited = Array.FindIndex(lines, l => l.Contains("acme.old_3", StringComparison.Ordinal));
        lines[edited] = lines[edited].Replace("acme.old_3", "acme.old_x", StringComparison.Ordinal);
        await File.WriteAllLinesAsync(path, lines);

        var verified = await VerifyFileAsync(archive);
        var damaged = await _audit.InScopeAsync<AuditArchiver, IReadOnlyList<AuditArchive>>(a => a.DamagedFilesAsync());

        Assert.False(verified.IsValid);
        Assert.Equal(archive.FirstSequence + 2, verified.FirstBadSequence);
        Assert.Equal(archive.Id, Assert.Single(damaged).Id);
        var run = await _audit.VerifyAsync(full: true);
        Assert.False(run.IsValid);
        Assert.Equal((nameof(AuditProblem.ArchiveDamaged), archive.FirstSequence), (run.Problem, run.FirstBadSequence));
    }
}
