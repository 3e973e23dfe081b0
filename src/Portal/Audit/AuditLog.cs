using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;

namespace Portal.Audit;

/// <summary>
/// The one way anything enters the audit trail. Every state change, sign-in, refusal, look-in and export calls
/// <see cref="RecordAsync"/>; the record is redacted, sealed onto the head of its tenant's chain (or the platform's)
/// and appended.
/// </summary>
public sealed class AuditLog(
    AuditAppendQueue appendQueue,
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
    /// The instance's queue (<see cref="AuditAppendQueue"/>) is not taken here. The transaction already holds the
    /// change's write locks (on SQLite the database's one write lock), and the queue's writer may be waiting for
    /// exactly those; the key on (chain, sequence) keeps the chain whole instead, as it does between instances: a lost
    /// race rolls back to the savepoint SaveChanges set, re-reads the chain's head and tries again.
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
        // Refused here, for this caller alone, rather than failing the group it would be committed with.
        AuditRecord.Seal(AuditChainHead.Genesis, clean);
        var record = await appendQueue.AppendAsync(clean, cancellationToken);
        RecordedRefusal |= clean.Outcome == AuditOutcome.Denied;
        return record;
    }

    /// <summary>Redacted first, then fitted to the columns: redaction may lengthen a value, and must see it whole.</summary>
    private static AuditEntry Redacted(AuditEntry entry) => AuditBounds.Bounded(entry with
    {
        Reason = AuditRedaction.RedactText(entry.Reason),
        Details = AuditRedaction.RedactDetails(entry.Details),
    });

    /// <summary>Seals the entry onto its chain's head as <paramref name="db"/> sees it and saves it there.</summary>
    private async Task<AuditRecord> AppendOnAsync(PortalDbContext db, AuditEntry clean, CancellationToken cancellationToken)
    {
        var head = await AuditChains.HeadAsync(db, AuditChain.Of(clean.TenantId), cancellationToken);
        var record = AuditRecord.Seal(head, clean);
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

    private void LostRace(DbUpdateException e, int attempt) =>
        logger.LogDebug(e, "The next audit sequence number was taken by another appender (attempt {Attempt}); retrying.", attempt);
}
