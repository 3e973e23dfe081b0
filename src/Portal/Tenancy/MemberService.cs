using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;

namespace Portal.Tenancy;

public sealed record MemberView(Guid Id, Guid UserId, string Email, string DisplayName, TenantRole Role, bool Disabled, DateTimeOffset CreatedAt);

public sealed record AddMemberRequest(string Email, string DisplayName, TenantRole Role, string? TemporaryPassword);

public sealed record UpdateMemberRequest(TenantRole? Role, bool? Disabled);

/// <summary>Members of a tenant. Every operation checks the caller's tenant and role itself.</summary>
public sealed class MemberService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantGuard guard,
    UserManager<PortalUser> users,
    SessionTerminator sessions,
    AuditLog auditLog,
    TimeProvider clock)
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

    public async Task<ServiceResult<MemberView>> AddAsync(Caller caller, Guid tenantId, AddMemberRequest request, CancellationToken ct = default)
    {
        if (await RequireAsync<MemberView>(caller, tenantId, "member.add", request.Email, ct) is { } refused)
        {
            return refused;
        }

        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return ServiceResult<MemberView>.Invalid(errors);
        }

        var email = request.Email.Trim();
        var user = await users.FindByEmailAsync(email);
        var newAccount = user is null;
        if (user is null)
        {
            if (string.IsNullOrEmpty(request.TemporaryPassword))
            {
                return ServiceResult<MemberView>.Invalid(nameof(request.TemporaryPassword),
                    "A new person needs a temporary password to sign in the first time.");
            }

            user = new PortalUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = request.DisplayName.Trim() };
            var created = await users.CreateAsync(user, request.TemporaryPassword);
            if (!created.Succeeded)
            {
                return ServiceResult<MemberView>.Invalid(new Dictionary<string, string[]>
                {
                    [nameof(request.TemporaryPassword)] = created.Errors.Select(e => e.Description).ToArray(),
                });
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Memberships.AnyAsync(m => m.TenantId == tenantId && m.UserId == user.Id, ct))
        {
            return ServiceResult<MemberView>.Conflict($"{email} is already a member of this tenant.");
        }

        var membership = new TenantMembership
        {
            TenantId = tenantId,
            UserId = user.Id,
            Role = request.Role,
            CreatedAt = clock.GetUtcNow(),
        };
        db.Memberships.Add(membership);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(caller, tenantId, "member.added", "member", membership.Id.ToString(),
            details: new { email, role = request.Role.ToString(), newAccount }, cancellationToken: ct);
        return ServiceResult<MemberView>.Ok(ToView(membership, user));
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
        var disabling = request.Disabled == true && !membership.Disabled;
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

        if (disabling)
        {
            var user = await users.FindByIdAsync(membership.UserId.ToString());
            if (user is not null)
            {
                await sessions.EndAllSessionsAsync(user, ct);
            }
        }

        return ServiceResult<MemberView>.Ok(ToView(membership, membership.User!));
    }

    private static Dictionary<string, string[]> Validate(AddMemberRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || !new EmailAddressAttribute().IsValid(request.Email.Trim()))
        {
            errors[nameof(request.Email)] = ["Enter a valid email address."];
        }

        if (string.IsNullOrWhiteSpace(request.DisplayName) || request.DisplayName.Trim().Length > 200)
        {
            errors[nameof(request.DisplayName)] = ["Enter a name of 1 to 200 characters."];
        }

        if (!Enum.IsDefined(request.Role))
        {
            errors[nameof(request.Role)] = ["Role must be TenantAdmin, Developer or Auditor."];
        }

        return errors;
    }

    private static MemberView ToView(TenantMembership m, PortalUser user) =>
        new(m.Id, m.UserId, user.Email!, user.DisplayName, m.Role, m.Disabled, m.CreatedAt);

    private Task<ServiceResult<T>?> RequireAsync<T>(Caller caller, Guid tenantId, string action, string resource, CancellationToken ct) =>
        guard.RequireAsync<T>(caller, tenantId, AccessPolicy.CanManageMembers, "Only a TenantAdmin can manage members", action, "member", resource, ct);
}
