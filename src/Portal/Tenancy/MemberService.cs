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
public sealed class MemberService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantGuard guard,
    AuditLog auditLog)
{
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

    public async Task<ServiceResult<MemberView>> UpdateAsync(
        Caller caller, Guid tenantId, Guid memberId, UpdateMemberRequest request, CancellationToken ct = default)
    {
        if (await RequireAsync<MemberView>(caller, tenantId, "member.update", memberId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        if (request.Role is { } newRole && !Enum.IsDefined(newRole))
        {
            return ServiceResult<MemberView>.Invalid(nameof(request.Role), "Role must be TenantAdmin, Developer or Auditor.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var membership = await db.Memberships.Include(m => m.User)
            .SingleOrDefaultAsync(m => m.Id == memberId && m.TenantId == tenantId, ct);
        if (membership is null)
        {
            return ServiceResult<MemberView>.NotFound("No such member.");
        }

        var losesAdmin = membership.Role == TenantRole.TenantAdmin
            && ((request.Role is { } role && role != TenantRole.TenantAdmin) || request.Disabled == true);
        if (losesAdmin && !await db.Memberships.AnyAsync(
                m => m.TenantId == tenantId && m.Id != memberId && m.Role == TenantRole.TenantAdmin && !m.Disabled, ct))
        {
            return ServiceResult<MemberView>.Conflict("A tenant keeps at least one enabled TenantAdmin.");
        }

        var before = new { role = membership.Role.ToString(), disabled = membership.Disabled };
        membership.Role = request.Role ?? membership.Role;
        membership.Disabled = request.Disabled ?? membership.Disabled;
        await db.SaveChangesAsync(ct);
        var after = new { role = membership.Role.ToString(), disabled = membership.Disabled };
        if (before != after)
        {
            var action = before.disabled != after.disabled ? (after.disabled ? "member.disabled" : "member.enabled") : "member.role_changed";
            await auditLog.RecordAsync(caller, tenantId, action, "member", membership.Id.ToString(),
                details: new { email = membership.User!.Email, before, after }, cancellationToken: ct);
        }

        return ServiceResult<MemberView>.Ok(ToView(membership, membership.User!));
    }

    public async Task<ServiceResult<MemberView>> RemoveAsync(Caller caller, Guid tenantId, Guid memberId, CancellationToken ct = default)
    {
        if (await RequireAsync<MemberView>(caller, tenantId, "member.remove", memberId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var membership = await db.Memberships.Include(m => m.User)
            .SingleOrDefaultAsync(m => m.Id == memberId && m.TenantId == tenantId, ct);
        if (membership is null)
        {
            return ServiceResult<MemberView>.NotFound("No such member.");
        }

        if (membership.Role == TenantRole.TenantAdmin && !membership.Disabled && !await db.Memberships.AnyAsync(
                m => m.TenantId == tenantId && m.Id != memberId && m.Role == TenantRole.TenantAdmin && !m.Disabled, ct))
        {
            return ServiceResult<MemberView>.Conflict("A tenant keeps at least one enabled TenantAdmin.");
        }

        db.Memberships.Remove(membership);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "member.removed", "member", membership.Id.ToString(),
            details: new { email = membership.User!.Email, role = membership.Role.ToString() }, cancellationToken: ct);
        return ServiceResult<MemberView>.Ok(ToView(membership, membership.User!));
    }

    private static MemberView ToView(TenantMembership m, PortalUser user) =>
        new(m.Id, m.UserId, user.Email!, user.DisplayName, m.Role, m.Disabled, m.CreatedAt);

    private Task<ServiceResult<T>?> RequireAsync<T>(Caller caller, Guid tenantId, string action, string resource, CancellationToken ct) =>
        guard.RequireAsync<T>(caller, tenantId, AccessPolicy.CanManageMembers, "Only a TenantAdmin can manage members", action, "member", resource, ct);
}
