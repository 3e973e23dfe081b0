using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// The appends of one portal instance that are not part of a change's transaction, committed in groups: whoever
/// holds the writer seals everything waiting — records of many chains — in one transaction, so a burst of appends
/// costs one commit instead of one each (on SQLite, where one writer commits at a time, that is what lets appends of
/// different tenants proceed together). Other instances are kept apart by the key on (chain, sequence): a lost race
/// rolls the group back, re-reads the heads and seals the group again, so no chain forks or skips a number.
/// </summary>
public sealed class AuditAppendQueue(IDbContextFactory<PortalDbContext> dbFactory, ILogger<AuditAppendQueue> logger)
{
    /// <summary>The most records one transaction seals.</summary>
    public const int MaxGroup = 500;

    private const int MaxAttempts = 50;

    private readonly ConcurrentQueue<Pending> _waiting = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private long _lostRaces;
    private long _commits;

    /// <summary>How many groups of this instance lost the race for a sequence number and were sealed again.</summary>
    public long LostRaces => Interlocked.Read(ref _lostRaces);

    /// <summary>How many transactions this instance committed for its appends.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Appends a redacted, bounded entry to its chain; returns once the record is committed.</summary>
    public async Task<AuditRecord> AppendAsync(AuditEntry clean, CancellationToken cancellationToken)
    {
        var pending = new Pending(clean);
        _waiting.Enqueue(pending);
        while (!pending.Done.Task.IsCompleted)
        {
            await _writer.WaitAsync(cancellationToken);
            try
            {
                if (!pending.Done.Task.IsCompleted)
                {
                    // Not the caller's token: the group holds other callers' records too.
                    await WriteGroupAsync(CancellationToken.None);
                }
            }
            finally
            {
                _writer.Release();
            }
        }

        return await pending.Done.Task;
    }

    private async Task WriteGroupAsync(CancellationToken cancellationToken)
    {
        var group = new List<Pending>();
        while (group.Count < MaxGroup && _waiting.TryDequeue(out var next))
        {
            group.Add(next);
        }

        for (var attempt = 1; group.Count > 0; attempt++)
        {
            try
            {
                var records = await SealAndSaveAsync(group, cancellationToken);
                Interlocked.Increment(ref _commits);
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.TrySetResult(records[i]);
                }

                return;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && DatabaseErrors.IsUniqueViolation(e))
            {
                // Another instance's record now holds the number; it is committed, so the next read sees it.
                Interlocked.Increment(ref _lostRaces);
                logger.LogDebug(e, "An audit sequence number was taken by another instance (attempt {Attempt}); sealing the group again.", attempt);
            }
            catch (Exception e)
            {
                foreach (var pending in group)
                {
                    pending.Done.TrySetException(e);
                }

                return;
            }
        }
    }

    private async Task<List<AuditRecord>> SealAndSaveAsync(List<Pending> group, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var heads = new Dictionary<string, AuditChainHead>(StringComparer.Ordinal);
        var records = new List<AuditRecord>(group.Count);
        foreach (var pending in group)
        {
            var chain = AuditChain.Of(pending.Entry.TenantId);
            if (!heads.TryGetValue(chain, out var head))
            {
                head = await AuditChains.HeadAsync(db, chain, cancellationToken);
            }

            var record = AuditRecord.Seal(head, pending.Entry);
            heads[chain] = AuditChainHead.Of(record);
            records.Add(record);
        }

        db.AuditRecords.AddRange(records);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return records;
    }

    private sealed class Pending(AuditEntry entry)
    {
        public AuditEntry Entry { get; } = entry;

        public TaskCompletionSource<AuditRecord> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
