using Microsoft.EntityFrameworkCore;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Platform;

/// <param name="Email">The address of the person who will run the tenant.</param>
public sealed record InviteAdminRequest(string? Email);

/// <summary>
/// A platform operator hands a tenant to its customer: an invitation for its first TenantAdmin, made, mailed and
/// accepted exactly as a TenantAdmin's own invitations are (<see cref="InvitationService"/>), and recorded in both the
/// platform's trail and the tenant's. The operator sees the tenant's pending invitations, nothing else of it.
/// </summary>
public sealed class AdminInvitations(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantAdministration admin,
    InvitationService invitations)
{
    public async Task<ServiceResult<IReadOnlyList<InvitationView>>> ListPendingAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (await admin.RefuseAsync<IReadOnlyList<InvitationView>>(caller, "invitation.list", tenantId, ct) is { } refused)
        {
            return refused;
        }

        return await StateAsync(tenantId, ct) is null
            ? ServiceResult<IReadOnlyList<InvitationView>>.NotFound("No such tenant.")
            : ServiceResult<IReadOnlyList<InvitationView>>.Ok(await invitations.PendingAsync(tenantId, ct));
    }

    public async Task<ServiceResult<InvitationView>> InviteAsync(Caller caller, Guid tenantId, InviteAdminRequest request, CancellationToken ct = default)
    {
        if (await admin.RefuseAsync<InvitationView>(caller, "invitation.send", tenantId, ct) is { } refused)
        {
            return refused;
        }

        var state = await StateAsync(tenantId, ct);
        if (state is null)
        {
            return ServiceResult<InvitationView>.NotFound("No such tenant.");
        }

        if (AdminInvitationRules.Refuse(state.Value) is { } notNow)
        {
            return ServiceResult<InvitationView>.Conflict(notNow);
        }

        return await invitations.SendAsync(caller, tenantId, new InviteMemberRequest(request.Email!, AdminInvitationRules.Role),
            alsoInPlatformTrail: true, ct);
    }

    private async Task<TenantState?> StateAsync(Guid tenantId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == tenantId)
            .Select(t => new { t.SuspendedAt, t.DeletedAt }).SingleOrDefaultAsync(ct);
        return tenant is null ? null : TenantRules.StateOf(tenant.SuspendedAt, tenant.DeletedAt);
    }
}
