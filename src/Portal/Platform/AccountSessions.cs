using Microsoft.AspNetCore.Identity;
using Portal.Audit;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Platform;

/// <param name="Email">The person's sign-in address.</param>
/// <param name="Reason">Why, for the audit trail (a ticket, a stolen laptop).</param>
public sealed record EndSessionsRequest(string? Email, string? Reason);

public sealed record EndedSessionsView(Guid AccountId, string Email);

/// <summary>
/// A platform operator ends every session a person has, in every tenant: cookies, open pages and tokens. A TenantAdmin
/// can only end a person's access to their own tenant (disable or remove); this is for the rest (a stolen laptop).
/// Recorded in the platform's trail and in the trail of each of the person's tenants.
/// </summary>
public sealed class AccountSessions(
    TenantAdministration admin, UserManager<PortalUser> users, SessionTerminator sessions, CallerResolver callers, AuditLog auditLog)
{
    public const string Action = "account.sessions_ended";

    public async Task<ServiceResult<EndedSessionsView>> EndAllAsync(Caller caller, EndSessionsRequest request, CancellationToken ct = default)
    {
        if (await admin.RefuseAsync<EndedSessionsView>(caller, Action, null, ct) is { } refused)
        {
            return refused;
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrWhiteSpace(request.Email))
        {
            return ServiceResult<EndedSessionsView>.Invalid("email", "Enter the person's email address.");
        }

        if (string.IsNullOrEmpty(reason))
        {
            return ServiceResult<EndedSessionsView>.Invalid("reason", "Say why (it goes into the audit trail).");
        }

        var user = await users.FindByEmailAsync(request.Email.Trim());
        if (user is null)
        {
            return ServiceResult<EndedSessionsView>.NotFound("No account has that email address.");
        }

        // The tenants whose trails learn of it: read before the sessions end (a person in none resolves to nobody).
        var person = await callers.CurrentAsync(new Caller(user.Id.ToString(), user.DisplayName, IsClient: false, IsSupport: false, []), ct);
        await sessions.EndAllSessionsAsync(user, ct);
        var subject = user.Id.ToString();
        await auditLog.RecordAsync(caller, null, Action, "account", subject, reason: reason, details: new { email = user.Email }, cancellationToken: ct);
        foreach (var tenant in person?.Tenants.Where(t => !t.LookIn) ?? [])
        {
            await auditLog.RecordAsync(caller, tenant.TenantId, Action, "account", subject, reason: reason, cancellationToken: ct);
        }

        return ServiceResult<EndedSessionsView>.Ok(new EndedSessionsView(user.Id, user.Email!));
    }
}
