using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Data;
using Portal.Data.Entities;

namespace Portal.Audit;

/// <summary>
/// The retention archive: per chain, the records older than <c>Audit:RetentionDays</c> are written, one file per
/// month, as a signed export (format v2, its manifest signed like any export, so <c>portal audit verify</c> checks it
/// offline as it is), registered in <c>AuditArchives</c> with the file's SHA-256, the archiving is recorded in the
/// chain's trail, and only then the records leave the live table. On SQL Server the append-only ledger table keeps
/// them (docs/audit.md says why); the next run starts after the register's last range either way, so nothing is
/// archived twice.
/// </summary>
public sealed class AuditArchiver(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditKeyProvider keys,
    AuditLog auditLog,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<AuditArchiver> logger)
{
    /// <summary>The directory the archive files are written to, as configured (relative to the working directory).</summary>
    public string Directory => Path.GetFullPath(options.Value.ArchiveDirectory);

    /// <summary>Archives every chain's records sealed before <paramref name="cutoff"/>; returns the files registered by this run.</summary>
    public async Task<IReadOnlyList<AuditArchive>> ArchiveAsync(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(30));
        var origin = await AuditChains.OriginAsync(db, cancellationToken);
        var boundaries = await AuditChains.ArchiveBoundariesAsync(db, cancellationToken);
        var chains = (await AuditChains.LastSequencesAsync(db, cancellationToken)).Keys
            .Where(c => c != AuditChain.Legacy).Order(StringComparer.Ordinal).ToList();

        var written = new List<AuditArchive>();
        foreach (var chain in chains)
        {
            var after = boundaries.TryGetValue(chain, out var boundary) ? boundary.Sequence : origin.Sequence;
            var live = (await db.AuditRecords.AsNoTracking().Where(r => r.Chain == chain && r.Sequence > after)
                    .OrderBy(r => r.Sequence).Select(r => new { r.Sequence, r.OccurredAt }).ToListAsync(cancellationToken))
                .Select(r => (r.Sequence, r.OccurredAt)).ToList();
            foreach (var period in AuditRetention.Plan(live, cutoff))
            {
                written.Add(await ArchivePeriodAsync(db, chain, origin, period, cutoff, cancellationToken));
            }
        }

        return written;
    }

    /// <summary>The archive files of the scope's chain, newest first (the scope is checked by <see cref="AuditReader.ScopeFor"/>).</summary>
    public async Task<List<AuditArchive>> ListAsync(AuditScope scope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var chain = AuditChain.Of(scope.TenantId);
        return await db.AuditArchives.AsNoTracking().Where(a => a.Chain == chain)
            .OrderByDescending(a => a.LastSequence).ToListAsync(cancellationToken);
    }

    /// <summary>The archive files of the scope's chain whose month overlaps [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<List<AuditArchive>> CoveringAsync(AuditScope scope, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        (await ListAsync(scope, cancellationToken)).Where(a => a.PeriodFrom < to && a.PeriodTo > from).OrderBy(a => a.FirstSequence).ToList();

    /// <summary>One archive file of the scope's chain; null when there is none by that id in this chain.</summary>
    public async Task<AuditArchive?> FindAsync(AuditScope scope, long id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var chain = AuditChain.Of(scope.TenantId);
        return await db.AuditArchives.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.Chain == chain, cancellationToken);
    }

    /// <summary>The registered files whose bytes are missing or no longer match their recorded SHA-256.</summary>
    public async Task<IReadOnlyList<AuditArchive>> DamagedFilesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var damaged = new List<AuditArchive>();
        foreach (var archive in await db.AuditArchives.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken))
        {
            var path = PathOf(archive);
            if (!File.Exists(path) || await Sha256Async(path, cancellationToken) != archive.FileSha256)
            {
                damaged.Add(archive);
            }
        }

        return damaged;
    }

    /// <summary>Where a registered file lies.</summary>
    public string PathOf(AuditArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        return Path.Combine(Directory, archive.FileName);
    }

    private async Task<AuditArchive> ArchivePeriodAsync(
        PortalDbContext db, string chain, AuditChainHead origin, AuditArchivePeriod period, DateTimeOffset cutoff, CancellationToken ct)
    {
        var to = period.MonthEnd < cutoff ? period.MonthEnd : cutoff;
        var range = new Dictionary<string, string> { ["from"] = period.Month.ToString("O"), ["to"] = to.ToString("O") };
        var exportedAt = clock.GetUtcNow();
        var header = new AuditExportHeader
        {
            ExportedAt = exportedAt,
            PublicKeyId = keys.KeyId,
            Filter = new Dictionary<string, string>(range) { ["scope"] = AuditChain.TenantOf(chain)?.ToString() ?? "platform" },
        };
        var manifest = new AuditExportManifest
        {
            Chain = chain, Origin = origin, RecordCount = 0, Filter = range, From = period.Month, To = to, KeyId = keys.KeyId, ExportedAt = exportedAt,
        };
        var checkpoints = await db.AuditCheckpoints.AsNoTracking()
            .Where(c => c.Chain == chain && c.Sequence >= period.FirstSequence && c.Sequence <= period.LastSequence).ToListAsync(ct);
        var records = db.AuditRecords.AsNoTracking()
            .Where(r => r.Chain == chain && r.Sequence >= period.FirstSequence && r.Sequence <= period.LastSequence)
            .OrderBy(r => r.Sequence).AsAsyncEnumerable();

        // Written aside and moved into place: a file under its final name is always whole.
        System.IO.Directory.CreateDirectory(Directory);
        var fileName = AuditRetention.FileName(chain, period);
        var path = Path.Combine(Directory, fileName);
        var partial = path + ".partial";
        AuditExportManifest signed;
        await using (var writer = new StreamWriter(partial, append: false, new System.Text.UTF8Encoding(false)))
        {
            signed = await AuditExportWriter.WriteAsync(writer, header, checkpoints, records, manifest, keys.Signer, ct);
        }

        if (signed.RecordCount != period.Count || signed.LastSequence != period.LastSequence)
        {
            File.Delete(partial);
            throw new InvalidOperationException(
                $"Audit archive of chain {chain}: expected {period.Count} records up to #{period.LastSequence}, read {signed.RecordCount}.");
        }

        File.Move(partial, path, overwrite: true);
        var archive = new AuditArchive
        {
            Chain = chain,
            TenantId = AuditChain.TenantOf(chain),
            FirstSequence = period.FirstSequence,
            LastSequence = period.LastSequence,
            LastHash = signed.LastHash!,
            RecordCount = signed.RecordCount,
            FileName = fileName,
            FileSha256 = await Sha256Async(path, ct),
            PeriodFrom = period.Month,
            PeriodTo = to,
            ArchivedAt = clock.GetUtcNow(),
        };
        db.AuditArchives.Add(archive);
        await db.SaveChangesAsync(ct);

        await auditLog.RecordAnonymousAsync("system", "Audit retention", archive.TenantId, "audit.archived", "audit-archive", fileName,
            AuditOutcome.Success, $"{archive.RecordCount} records, #{archive.FirstSequence} to #{archive.LastSequence}, archived",
            new { chain, archive.FirstSequence, archive.LastSequence, archive.RecordCount, archive.LastHash, archive.FileSha256 }, ct);

        if (db.Database.IsSqlite())
        {
            // The delete trigger lets exactly these rows go: the register above now covers them.
            await db.AuditRecords.Where(r => r.Chain == chain && r.Sequence >= archive.FirstSequence && r.Sequence <= archive.LastSequence)
                .ExecuteDeleteAsync(ct);
        }

        logger.LogInformation("Archived {Count} audit records of chain {Chain} (#{First} to #{Last}) to {File}",
            archive.RecordCount, chain, archive.FirstSequence, archive.LastSequence, fileName);
        return archive;
    }

    private static async Task<string> Sha256Async(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }
}
