using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;

namespace Portal.Tenancy;

public sealed record MemberView(Guid Id, Guid UserId, string Email, string DisplayName, TenantRole Role, bool Disabled, DateTimeOffset CreatedAt);

public sealed record UpdateMemberRequest(TenantRole? Role, bool? Disabled);

/// <summary>
/// Members of a tenant. Every operation checks the caller's tenant and role itself. People join through invitations
/// (<see cref="InvitationService"/>). Disabling or removing someone ends their access to this tenant only: the tenant is
/// read from the membership on every request and in every open page, so their cookies and tokens stop reaching it at
/// once while their access to other tenants, and their sessions there, go on.
/// </summary>
public sealed class MemberService(IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes)
{
    private static readonly ChangePermission Permission = new(AccessPolicy.CanManageMembers, "Only a TenantAdmin can manage members");

    public async Task<ServiceResult<IReadOnlyList<MemberView>>> ListAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<MemberView>>.NotFound("No such tenant.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await db.Memberships.AsNoTracking()
            .Where(m => m.TenantId == tenantId)
            .OrderBy(m => m.User!.DisplayName)
            .Select(m => new MemberView(m.Id, m.UserId, m.User!.Email!, m.User.DisplayName, m.Role, m.Disabled, m.CreatedAt))
            .ToListAsync(ct);
        return ServiceResult<IReadOnlyList<MemberView>>.Ok(members);
    }

    public Task<ServiceResult<MemberView>> UpdateAsync(
        Caller caller, Guid tenantId, Guid memberId, UpdateMemberRequest request, CancellationToken ct = default)
    {
        var change = Change(caller, tenantId, "member.update", memberId) with
        {
            InputErrors = request.Role is { } newRole && !Enum.IsDefined(newRole)
                ? new Dictionary<string, string[]> { [nameof(request.Role)] = ["Role must be TenantAdmin, Developer or Auditor."] }
                : null,
        };
        return changes.RunAsync(change, Member(memberId), "No such member.", async (TenantMembership membership, PortalDbContext db) =>
        {
            var losesAdmin = membership.Role == TenantRole.TenantAdmin
                && ((request.Role is { } role && role != TenantRole.TenantAdmin) || request.Disabled == true);
            if (losesAdmin && !await OtherEnabledAdminAsync(db, tenantId, memberId, ct))
            {
                return ServiceResult<MemberView>.Conflict("A tenant keeps at least one enabled TenantAdmin.");
            }

            var before = new { role = membership.Role.ToString(), disabled = membership.Disabled };
            membership.Role = request.Role ?? membership.Role;
            membership.Disabled = request.Disabled ?? membership.Disabled;
            var after = new { role = membership.Role.ToString(), disabled = membership.Disabled };
            if (before == after)
            {
                return ChangeOutcome.Unchanged(ToView(membership, membership.User!));
            }

            var action = before.disabled != after.disabled ? (after.disabled ? "member.disabled" : "member.enabled") : "member.role_changed";
            return ChangeOutcome.Save(new ChangeRecord(action, new { email = membership.User!.Email, before, after }), ToView(membership, membership.User!));
        }, ct);
    }

    public Task<ServiceResult<MemberView>> RemoveAsync(Caller caller, Guid tenantId, Guid memberId, CancellationToken ct = default) =>
        changes.RunAsync(Change(caller, tenantId, "member.remove", memberId), Member(memberId), "No such member.",
            async (TenantMembership membership, PortalDbContext db) =>
            {
                if (membership.Role == TenantRole.TenantAdmin && !membership.Disabled && !await OtherEnabledAdminAsync(db, tenantId, memberId, ct))
                {
                    return ServiceResult<MemberView>.Conflict("A tenant keeps at least one enabled TenantAdmin.");
                }

                db.Memberships.Remove(membership);
                return ChangeOutcome.Save(new ChangeRecord("member.removed", new { email = membership.User!.Email, role = membership.Role.ToString() }),
                    ToView(membership, membership.User!));
            }, ct);

    private static Func<IQueryable<TenantMembership>, IQueryable<TenantMembership>> Member(Guid memberId) =>
        memberships => memberships.Include(m => m.User).Where(m => m.Id == memberId);

    private static Task<bool> OtherEnabledAdminAsync(PortalDbContext db, Guid tenantId, Guid memberId, CancellationToken ct) =>
        db.Memberships.AnyAsync(m => m.TenantId == tenantId && m.Id != memberId && m.Role == TenantRole.TenantAdmin && !m.Disabled, ct);

    private static TenantChange Change(Caller caller, Guid tenantId, string action, Guid memberId) =>
        new(caller, tenantId, Permission, action, "member", memberId.ToString());

    private static MemberView ToView(TenantMembership m, PortalUser user) =>
        new(m.Id, m.UserId, user.Email!, user.DisplayName, m.Role, m.Disabled, m.CreatedAt);
}
