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
        CancellationToken cancellationToken = default)
    {
        var roles = caller is null
            ? ""
            : AuditEntry.JoinRoles(caller.Tenants.Where(t => tenantId is null || t.TenantId == tenantId).Select(t => t.Role.ToString())
                .Concat(caller.IsSupport ? [PortalRoles.Support] : [])
                .Concat(caller.IsOperator ? [PortalRoles.Operator] : []));
        return AppendAsync(Entry(caller?.Subject ?? "anonymous", caller?.Name ?? "anonymous", roles, tenantId, action, resourceType,
            resourceId, outcome, reason, details), cancellationToken);
    }

    /// <summary>Records an action by someone who is not (yet) a caller, e.g. a failed sign-in.</summary>
    public Task<AuditRecord> RecordAnonymousAsync(
        string actorId, string actorName, Guid? tenantId, string action, string resourceType, string resourceId,
        AuditOutcome outcome, string? reason = null, object? details = null, CancellationToken cancellationToken = default) =>
        AppendAsync(Entry(actorId, actorName, "", tenantId, action, resourceType, resourceId, outcome, reason, details), cancellationToken);

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
        var clean = entry with
        {
            Reason = AuditRedaction.RedactText(entry.Reason),
            Details = AuditRedaction.RedactDetails(entry.Details),
        };

        await appendLock.Gate.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                var head = await db.AuditRecords.AsNoTracking()
                    .OrderByDescending(r => r.Sequence)
                    .Select(r => new AuditChainHead(r.Sequence, r.Hash))
                    .FirstOrDefaultAsync(cancellationToken);
                var record = AuditRecord.Seal(head == default ? AuditChainHead.Genesis : head, clean);
                db.AuditRecords.Add(record);
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    RecordedRefusal |= clean.Outcome == AuditOutcome.Denied;
                    return record;
                }
                catch (DbUpdateException e) when (attempt < MaxAttempts)
                {
                    logger.LogDebug(e, "Audit record #{Sequence} was taken by another appender; retrying.", record.Sequence);
                    await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
                }
            }
        }
        finally
        {
            appendLock.Gate.Release();
        }
    }
}

/// <summary>
/// Appenders of one portal instance queue here; appenders of other instances are kept apart by the primary key on
/// the sequence number (a lost race re-reads the head and tries again), so the chain never forks and has no gaps.
/// </summary>
public sealed class AuditAppendLock
{
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
