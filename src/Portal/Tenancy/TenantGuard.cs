using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Identity;

namespace Portal.Tenancy;

/// <summary>
/// The server-side check in front of every change: another tenant's resource is not found; a role that may not act
/// (or a support look-in, which is read-only) is refused, and the refusal enters the audit trail.
/// </summary>
public sealed class TenantGuard(AuditLog auditLog, CallerResolver callers)
{
    /// <returns>Null when the caller may act; otherwise the answer to give.</returns>
    public async Task<ServiceResult<T>?> RequireAsync<T>(
        Caller caller, Guid tenantId, Func<TenantRole, bool> allows, string rule,
        string action, string resourceType, string resource, CancellationToken ct)
    {
        // Decided by what the database says now: a page opened before a demotion, a removal or the end of a look-in
        // holds an older copy of the caller.
        var current = caller.In(tenantId) is null ? null : caller.IsSystem ? caller : await callers.CurrentAsync(caller, ct);
        var access = current?.In(tenantId);
        if (access is null)
        {
            if (caller.In(tenantId) is not null)
            {
                await auditLog.RecordAsync(caller, tenantId, action, resourceType, resource, AuditOutcome.Denied,
                    "The caller's access to this tenant has ended.", cancellationToken: ct);
            }

            return ServiceResult<T>.NotFound("No such tenant.");
        }

        if (allows(access.Role) && !access.LookIn)
        {
            return null;
        }

        var message = $"{rule}; you are {(access.LookIn ? "looking in as support" : access.Role.ToString())}.";
        await auditLog.RecordAsync(current!, tenantId, action, resourceType, resource, AuditOutcome.Denied, message, cancellationToken: ct);
        return ServiceResult<T>.Forbidden(message);
    }

    /// <summary>Whether the caller is a platform operator now (not only when their page opened).</summary>
    public async Task<bool> IsOperatorNowAsync(Caller caller, CancellationToken ct) =>
        caller.IsOperator && (await callers.CurrentAsync(caller, ct))?.IsOperator == true;
}
