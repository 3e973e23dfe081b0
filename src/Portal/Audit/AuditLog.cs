using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;

namespace Portal.Audit;

/// <summary>
/// The one way anything enters the audit trail. Every state change, sign-in, refusal, look-in and export calls
/// <see cref="RecordAsync"/>; the record is redacted, sealed onto the chain's head and appended.
/// </summary>
public sealed class AuditLog(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditAppendLock appendLock,
    AuditContext context,
    TimeProvider clock,
    ILogger<AuditLog> logger)
{
    private const int MaxAttempts = 50;

    public static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Whether this scope (one HTTP request) has already recorded a refusal, so the API's catch-all for refused
    /// requests does not record the same refusal twice.
    /// </summary>
    public bool RecordedRefusal { get; private set; }

    public Task<AuditRecord> RecordAsync(
        Caller? caller,
        Guid? tenantId,
        string action,
        string resourceType,
        string resourceId,
        AuditOutcome outcome = AuditOutcome.Success,
        string? reason = null,
        object? details = null,
        CancellationToken cancellationToken = default) =>
        AppendAsync(CallerEntry(caller, tenantId, action, resourceType, resourceId, outcome, reason, details), cancellationToken);

    /// <summary>
    /// Records inside the open transaction of <paramref name="db"/>, after the change it describes was saved there:
    /// the change and its record commit together or not at all.
    /// </summary>
    /// <remarks>
    /// The instance's queue (<see cref="AuditAppendLock"/>) is not taken here. The transaction already holds the
    /// change's write locks (on SQLite the database's one write lock), and an appender waiting in the queue may be
    /// waiting for exactly those; the sequence number's primary key keeps the chain whole instead, as it does between
    /// instances: a lost race rolls back to the savepoint SaveChanges set, re-reads the head and tries again.
    /// </remarks>
    public Task<AuditRecord> RecordAsync(
        PortalDbContext db, Caller caller, Guid? tenantId, string action, string resourceType, string resourceId,
        AuditOutcome outcome, string? reason, object? details, CancellationToken cancellationToken = default) =>
        AppendAsync(db, CallerEntry(caller, tenantId, action, resourceType, resourceId, outcome, reason, details), cancellationToken);

    /// <summary>Records an action by someone who is not (yet) a caller, e.g. a failed sign-in.</summary>
    public Task<AuditRecord> RecordAnonymousAsync(
        string actorId, string actorName, Guid? tenantId, string action, string resourceType, string resourceId,
        AuditOutcome outcome, string? reason = null, object? details = null, CancellationToken cancellationToken = default) =>
        AppendAsync(Entry(actorId, actorName, "", tenantId, action, resourceType, resourceId, outcome, reason, details), cancellationToken);

    /// <summary>Records, inside the open transaction of <paramref name="db"/>, an action by someone who is not (yet) a caller (accepting an invitation).</summary>
    public Task<AuditRecord> RecordAnonymousAsync(
        PortalDbContext db, string actorId, string actorName, Guid? tenantId, string action, string resourceType, string resourceId,
        AuditOutcome outcome, string? reason = null, object? details = null, CancellationToken cancellationToken = default) =>
        AppendAsync(db, Entry(actorId, actorName, "", tenantId, action, resourceType, resourceId, outcome, reason, details), cancellationToken);

    /// <inheritdoc cref="RecordAsync(PortalDbContext, Caller, Guid?, string, string, string, AuditOutcome, string?, object?, CancellationToken)"/>
    public async Task<AuditRecord> AppendAsync(PortalDbContext db, AuditEntry entry, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("The record must be appended inside the change's transaction.");
        }

        var clean = Redacted(entry);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AppendOnAsync(db, clean, cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && DatabaseErrors.IsUniqueViolation(e))
            {
                // No pause: this transaction holds the change's locks; re-reading the head finds the record that won.
                LostRace(e, attempt);
            }
        }
    }

    private AuditEntry CallerEntry(Caller? caller, Guid? tenantId, string action, string resourceType, string resourceId,
        AuditOutcome outcome, string? reason, object? details)
    {
        var roles = caller is null
            ? ""
            : AuditEntry.JoinRoles(caller.Tenants.Where(t => tenantId is null || t.TenantId == tenantId).Select(t => t.Role.ToString())
                .Concat(caller.IsSupport ? [PortalRoles.Support] : [])
                .Concat(caller.IsOperator ? [PortalRoles.Operator] : []));
        return Entry(caller?.Subject ?? "anonymous", caller?.Name ?? "anonymous", roles, tenantId, action, resourceType, resourceId,
            outcome, reason, details);
    }

    private AuditEntry Entry(string actorId, string actorName, string roles, Guid? tenantId, string action, string resourceType,
        string resourceId, AuditOutcome outcome, string? reason, object? details) => new()
    {
        OccurredAt = clock.GetUtcNow(),
        TenantId = tenantId,
        ActorId = actorId,
        ActorName = actorName,
        ActorRoles = roles,
        ActorIp = context.ClientIp,
        Action = action,
        ResourceType = resourceType,
        ResourceId = resourceId,
        Outcome = outcome,
        Reason = reason,
        Details = details is null ? null : JsonSerializer.Serialize(details, DetailsJson),
        CorrelationId = context.CorrelationId,
    };

    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        var clean = Redacted(entry);
        for (var attempt = 1; ; attempt++)
        {
            await appendLock.Gate.WaitAsync(cancellationToken);
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                return await AppendOnAsync(db, clean, cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && DatabaseErrors.IsUniqueViolation(e))
            {
                LostRace(e, attempt);
            }
            finally
            {
                appendLock.Gate.Release();
            }

            // Another instance took the sequence number: let it finish, outside the queue, so this instance's other
            // appenders are not held up by the pause.
            await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
        }
    }

    /// <summary>Redacted first, then fitted to the columns: redaction may lengthen a value, and must see it whole.</summary>
    private static AuditEntry Redacted(AuditEntry entry) => AuditBounds.Bounded(entry with
    {
        Reason = AuditRedaction.RedactText(entry.Reason),
        Details = AuditRedaction.RedactDetails(entry.Details),
    });

    /// <summary>Seals the entry onto the chain's head as <paramref name="db"/> sees it and saves it there.</summary>
    private async Task<AuditRecord> AppendOnAsync(PortalDbContext db, AuditEntry clean, CancellationToken cancellationToken)
    {
        var head = await db.AuditRecords.AsNoTracking()
            .OrderByDescending(r => r.Sequence)
            .Select(r => new AuditChainHead(r.Sequence, r.Hash))
            .FirstOrDefaultAsync(cancellationToken);
        var record = AuditRecord.Seal(head == default ? AuditChainHead.Genesis : head, clean);
        db.AuditRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // The next attempt seals a new record; this one must not be saved with it.
            db.Entry(record).State = EntityState.Detached;
            throw;
        }

        RecordedRefusal |= clean.Outcome == AuditOutcome.Denied;
        return record;
    }

    private void LostRace(DbUpdateException e, int attempt)
    {
        appendLock.CountLostRace();
        logger.LogDebug(e, "The next audit sequence number was taken by another appender (attempt {Attempt}); retrying.", attempt);
    }
}

/// <summary>
/// Appenders of one portal instance queue here; appenders of other instances are kept apart by the primary key on
/// the sequence number (a lost race re-reads the head and tries again), so the chain never forks and has no gaps.
/// </summary>
public sealed class AuditAppendLock
{
    private long _lostRaces;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>How many appends of this instance lost the race for a sequence number and tried again.</summary>
    public long LostRaces => Interlocked.Read(ref _lostRaces);

    internal void CountLostRace() => Interlocked.Increment(ref _lostRaces);
}
