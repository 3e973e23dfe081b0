using Microsoft.AspNetCore.Identity;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Data.Entities;

namespace Portal.Identity;

/// <summary>Password sign-in for the login page: one generic answer for every failure, lockout on repeated failures.</summary>
public sealed class SignInService(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    CallerResolver callers,
    IPasswordHasher<PortalUser> hasher,
    AuditLog auditLog)
{
    /// <summary>The same words for an unknown account, a wrong password, a locked or a disabled one.</summary>
    public const string GenericFailure = "Sign-in failed: the email or password is wrong, or the account cannot sign in right now.";

    private static readonly PortalUser Nobody = new() { DisplayName = "", UserName = "nobody" };
    private static readonly string NobodyHash = new PasswordHasher<PortalUser>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public async Task<bool> PasswordSignInAsync(HttpContext http, string email, string password)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend the same hashing time as for a real account, so timing does not tell which emails exist.
            hasher.VerifyHashedPassword(Nobody, NobodyHash, password);
            await auditLog.RecordAnonymousAsync("unknown", email.Trim(), null, "auth.sign_in_failed", "account", email.Trim(),
                AuditOutcome.Failure, "No such account.");
            return false;
        }

        var homeTenant = await HomeTenantAsync(user);
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            var reason = check.IsLockedOut ? "The account is locked out after repeated failures." : "Wrong password.";
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, homeTenant,
                check.IsLockedOut ? "auth.locked_out" : "auth.sign_in_failed", "account", user.Id.ToString(), AuditOutcome.Failure, reason);
            return false;
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        var caller = await callers.ResolveAsync(principal, http.RequestAborted);
        if (caller is null)
        {
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, homeTenant, "auth.sign_in_failed", "account",
                user.Id.ToString(), AuditOutcome.Denied, "The account is disabled in every tenant.");
            return false;
        }

        await signIn.SignInAsync(user, isPersistent: false);
        await auditLog.RecordAsync(caller, caller.Tenants.FirstOrDefault()?.TenantId, "auth.signed_in", "account", user.Id.ToString());
        return true;
    }

    /// <summary>The tenant whose log records this person's sign-ins: the first they joined (none for support).</summary>
    private async Task<Guid?> HomeTenantAsync(PortalUser user)
    {
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return (await callers.ResolveAsync(principal))?.Tenants.FirstOrDefault(t => !t.LookIn)?.TenantId;
    }

    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
