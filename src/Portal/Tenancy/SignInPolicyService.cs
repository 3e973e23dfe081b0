using Microsoft.EntityFrameworkCore;
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
public sealed class SignInPolicyService(IDbContextFactory<PortalDbContext> dbFactory, TenantChangeRunner changes)
{
    private const string Rule = "Only a TenantAdmin can set the tenant's sign-in policy";

    private static readonly ChangePermission Permission = new(AccessPolicy.CanManageMembers, Rule);

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

    public Task<ServiceResult<SignInPolicyView>> SetAsync(Caller caller, Guid tenantId, SignInPolicyRequest request, CancellationToken ct = default)
    {
        var change = new TenantChange(caller, tenantId, Permission, "tenant.sign_in_policy_change", "tenant", tenantId.ToString())
        {
            InputErrors = request.RequireTwoFactor is null
                ? new Dictionary<string, string[]> { [nameof(request.RequireTwoFactor)] = ["Say whether the tenant requires two-factor sign-in: true or false."] }
                : null,
        };
        return changes.RunAsync(change, async db =>
        {
            var require = request.RequireTwoFactor!.Value;
            var callerHasTwoFactor = !caller.IsClient && Guid.TryParse(caller.Subject, out var userId)
                && await db.Users.AnyAsync(u => u.Id == userId && u.TwoFactorEnabled, ct);
            if (TwoFactorPolicy.RefuseRequiring(require, callerIsPerson: !caller.IsClient, callerHasTwoFactor) is { } reason)
            {
                return ServiceResult<SignInPolicyView>.Conflict(reason);
            }

            var tenant = await db.Tenants.SingleAsync(t => t.Id == tenantId, ct);
            var before = tenant.RequireTwoFactor;
            if (before == require)
            {
                return ChangeOutcome.Unchanged(await ViewAsync(db, tenantId, ct));
            }

            tenant.RequireTwoFactor = require;
            return ChangeOutcome.Save(
                new ChangeRecord("tenant.sign_in_policy_changed", new { requireTwoFactor = require, before = new { requireTwoFactor = before } }),
                async () =>
                {
                    await using var read = await dbFactory.CreateDbContextAsync(ct);
                    return ServiceResult<SignInPolicyView>.Ok(await ViewAsync(read, tenantId, ct));
                });
        }, ct);
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
