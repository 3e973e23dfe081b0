using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Accounts;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Identity;

namespace Portal.Tenancy;

/// <param name="MembersWithoutTwoFactor">Enabled members the requirement holds back (or would, once on) until they enrol.</param>
public sealed record SignInPolicyView(bool RequireTwoFactor, IReadOnlyList<MemberWithoutTwoFactor> MembersWithoutTwoFactor);

public sealed record MemberWithoutTwoFactor(Guid MemberId, string DisplayName, string Email);

public sealed record SignInPolicyRequest(bool? RequireTwoFactor);

/// <summary>A tenant's sign-in policy: whether its members must use two-factor sign-in. Its TenantAdmins set it.</summary>
public sealed class SignInPolicyService(IDbContextFactory<PortalDbContext> dbFactory, TenantGuard guard, AuditLog auditLog)
{
    private const string Rule = "Only a TenantAdmin can set the tenant's sign-in policy";

    public async Task<ServiceResult<SignInPolicyView>> GetAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is not { } access)
        {
            return ServiceResult<SignInPolicyView>.NotFound("No such tenant.");
        }

        if (!AccessPolicy.CanManageMembers(access.Role) || access.LookIn)
        {
            return ServiceResult<SignInPolicyView>.Forbidden($"{Rule}; you are {(access.LookIn ? "looking in as support" : access.Role.ToString())}.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return ServiceResult<SignInPolicyView>.Ok(await ViewAsync(db, tenantId, ct));
    }

    public async Task<ServiceResult<SignInPolicyView>> SetAsync(Caller caller, Guid tenantId, SignInPolicyRequest request, CancellationToken ct = default)
    {
        if (await guard.RequireAsync<SignInPolicyView>(caller, tenantId, AccessPolicy.CanManageMembers, Rule,
                "tenant.sign_in_policy_change", "tenant", tenantId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        if (request.RequireTwoFactor is not { } require)
        {
            return ServiceResult<SignInPolicyView>.Invalid(nameof(request.RequireTwoFactor),
                "Say whether the tenant requires two-factor sign-in: true or false.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var callerHasTwoFactor = !caller.IsClient && Guid.TryParse(caller.Subject, out var userId)
            && await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, ct);
        if (TwoFactorPolicy.RefuseRequiring(require, callerIsPerson: !caller.IsClient, callerHasTwoFactor) is { } reason)
        {
            return ServiceResult<SignInPolicyView>.Conflict(reason);
        }

        var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, ct);
        var before = tenant.RequireTwoFactor;
        if (before != require)
        {
            tenant.RequireTwoFactor = require;
            await db.SaveChangesAsync(ct);
            await auditLog.RecordAsync(caller, tenantId, "tenant.sign_in_policy_changed", "tenant", tenantId.ToString(),
                details: new { requireTwoFactor = require, before = new { requireTwoFactor = before } }, cancellationToken: ct);
        }

        return ServiceResult<SignInPolicyView>.Ok(await ViewAsync(db, tenantId, ct));
    }

    private static async Task<SignInPolicyView> ViewAsync(PortalDbContext db, Guid tenantId, CancellationToken ct)
    {
        var require = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.RequireTwoFactor).SingleAsync(ct);
        var without = await db.Memberships.AsNoTracking()
            .Where(m => m.TenantId == tenantId && !m.Disabled && !m.User!.TwoFactorEnabled)
            .OrderBy(m => m.User!.DisplayName)
            .Select(m => new MemberWithoutTwoFactor(m.Id, m.User!.DisplayName, m.User.Email!))
            .ToListAsync(ct);
        return new SignInPolicyView(require, without);
    }
}
