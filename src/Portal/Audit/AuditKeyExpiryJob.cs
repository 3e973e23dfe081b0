using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Core.Audit;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Warns, from <see cref="AuditOptions.KeyExpiryWarningDays"/> before the current signing key's end, that the next key
/// must be added to <c>Audit:Keys</c>: a log warning and one audit record a day (the red notice admins see is
/// <see cref="AuditKeyExpiry"/> applied by the layout). Safe to run twice: the day's record is written once.
/// </summary>
public sealed class AuditKeyExpiryJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditKeyProvider keys,
    AuditLog auditLog,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<AuditKeyExpiryJob> logger)
{
    public const string RecurringId = "audit-key-expiry";
    public const string Action = "audit.key_expiring";

    /// <summary>The days left when it warned; null when the key's end is not near.</summary>
    public async Task<int?> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        if (AuditKeyExpiry.DaysLeftToWarn(keys.CurrentNotAfter, now, options.Value.KeyExpiryWarningDays) is not { } daysLeft)
        {
            return null;
        }

        logger.LogWarning("The audit signing key {KeyId} ends at {NotAfter:u} ({DaysLeft} days): add the next key to Audit:Keys.",
            keys.KeyId, keys.CurrentNotAfter, daysLeft);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var warnedToday = await db.AuditRecords.AnyAsync(r => r.Chain == AuditChain.Platform && r.Action == Action
            && r.ResourceId == keys.KeyId && r.OccurredAt >= today, cancellationToken);
        if (!warnedToday)
        {
            await auditLog.RecordAnonymousAsync("system", "Audit key expiry", null, Action, "audit-key", keys.KeyId, AuditOutcome.Failure,
                $"The audit signing key ends in {daysLeft} days; add the next key to Audit:Keys.",
                new { notAfter = keys.CurrentNotAfter, daysLeft }, cancellationToken);
        }

        return daysLeft;
    }
}
