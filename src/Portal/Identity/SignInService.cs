using Microsoft.AspNetCore.Identity;
using Portal.Audit;
using Portal.Core.Accounts;
using Portal.Core.Audit;
using Portal.Data.Entities;

namespace Portal.Identity;

public enum SignInStep
{
    /// <summary>Refused; the page shows its one generic message.</summary>
    Failed,
    SignedIn,

    /// <summary>The password was right and the person has two-factor sign-in: the second step asks for a code.</summary>
    SecondFactorRequired,

    /// <summary>The second step has no password step behind it (never made, or older than Identity's five minutes).</summary>
    StartOver,

    /// <summary>What was typed in the second step is neither a six-digit code nor a recovery code; nothing was counted.</summary>
    Unreadable,
}

/// <summary>
/// Sign-in for the login pages: one generic answer for every failure, lockout on repeated failures of the password
/// or of the second factor (Identity counts both against the same limit).
/// </summary>
public sealed class SignInService(
    UserManager<PortalUser> users,
    PortalSignInManager signIn,
    CallerResolver callers,
    IPasswordHasher<PortalUser> hasher,
    AuditLog auditLog)
{
    /// <summary>The same words for an unknown account, a wrong password, a locked or a disabled one.</summary>
    public const string GenericFailure = "Sign-in failed: the email or password is wrong, or the account cannot sign in right now.";

    /// <summary>The same words for a wrong code, a used recovery code and a locked account.</summary>
    public const string SecondFactorFailure = "That code is not right, or the account cannot sign in right now.";

    private static readonly PortalUser Nobody = new() { DisplayName = "", UserName = "nobody" };
    private static readonly string NobodyHash = new PasswordHasher<PortalUser>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public async Task<SignInStep> PasswordSignInAsync(HttpContext http, string email, string password)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend the same hashing time as for a real account, so timing does not tell which emails exist.
            hasher.VerifyHashedPassword(Nobody, NobodyHash, password);
            await auditLog.RecordAnonymousAsync("unknown", email.Trim(), null, "auth.sign_in_failed", "account", email.Trim(),
                AuditOutcome.Failure, "No such account.");
            return SignInStep.Failed;
        }

        var homeTenant = await HomeTenantAsync(user);
        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            var reason = check.IsLockedOut ? "The account is locked out after repeated failures." : "Wrong password.";
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, homeTenant,
                check.IsLockedOut ? "auth.locked_out" : "auth.sign_in_failed", "account", user.Id.ToString(), AuditOutcome.Failure, reason);
            return SignInStep.Failed;
        }

        var caller = await callers.ResolveAsync(await signIn.CreateUserPrincipalAsync(user), http.RequestAborted);
        if (caller is null)
        {
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, homeTenant, "auth.sign_in_failed", "account",
                user.Id.ToString(), AuditOutcome.Denied, "The account is disabled in every tenant.");
            return SignInStep.Failed;
        }

        if ((await signIn.SignInOrAskForSecondFactorAsync(user)).RequiresTwoFactor)
        {
            return SignInStep.SecondFactorRequired;
        }

        await auditLog.RecordAsync(caller, SignedInTenant(caller), "auth.signed_in", "account", user.Id.ToString());
        return SignInStep.SignedIn;
    }

    /// <summary>
    /// The second step: a code from the authenticator app or one recovery code (used up by signing in). A wrong one
    /// counts toward lockout like a wrong password.
    /// </summary>
    public async Task<SignInStep> SecondFactorSignInAsync(HttpContext http, string? input)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return SignInStep.StartOver;
        }

        var factor = SecondFactor.Read(input);
        if (factor.Kind == SecondFactorKind.Unreadable)
        {
            return SignInStep.Unreadable;
        }

        var homeTenant = await HomeTenantAsync(user);
        var byRecoveryCode = factor.Kind == SecondFactorKind.RecoveryCode;
        var result = byRecoveryCode
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(factor.Value)
            : await signIn.TwoFactorAuthenticatorSignInAsync(factor.Value, isPersistent: false, rememberClient: false);
        if (byRecoveryCode && !result.Succeeded && !result.IsLockedOut && !result.IsNotAllowed)
        {
            // Identity counts a wrong authenticator code toward lockout but not a wrong recovery code; the portal counts both.
            await users.AccessFailedAsync(user);
            result = await users.IsLockedOutAsync(user) ? SignInResult.LockedOut : result;
        }

        if (!result.Succeeded)
        {
            var reason = result.IsLockedOut ? "The account is locked out after repeated failures."
                : byRecoveryCode ? "Wrong or used recovery code." : "Wrong authenticator code.";
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, homeTenant,
                result.IsLockedOut ? "auth.locked_out" : "auth.sign_in_failed", "account", user.Id.ToString(), AuditOutcome.Failure, reason,
                new { secondFactor = byRecoveryCode ? "recovery_code" : "authenticator" });
            return SignInStep.Failed;
        }

        var caller = await callers.ResolveAsync(await signIn.CreateUserPrincipalAsync(user), http.RequestAborted);
        if (caller is null)
        {
            // Disabled in the minutes between the two steps.
            await signIn.SignOutAsync();
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, homeTenant, "auth.sign_in_failed", "account",
                user.Id.ToString(), AuditOutcome.Denied, "The account is disabled in every tenant.");
            return SignInStep.Failed;
        }

        object details = byRecoveryCode
            ? new { secondFactor = "recovery_code", recoveryCodesLeft = await users.CountRecoveryCodesAsync(user) }
            : new { secondFactor = "authenticator" };
        await auditLog.RecordAsync(caller, SignedInTenant(caller), "auth.signed_in", "account", user.Id.ToString(), details: details);
        return SignInStep.SignedIn;
    }

    /// <summary>The tenant whose log records this person's sign-ins: the first they joined (none for support).</summary>
    /// <remarks>A tenant still waiting for this person's two-factor sign-in is their home all the same.</remarks>
    private async Task<Guid?> HomeTenantAsync(PortalUser user) =>
        await callers.ResolveAsync(await signIn.CreateUserPrincipalAsync(user)) is { } caller
            ? (caller.Tenants.FirstOrDefault(t => !t.LookIn) ?? caller.AwaitingTwoFactor.FirstOrDefault(t => !t.LookIn))?.TenantId
            : null;

    private static Guid? SignedInTenant(Caller caller) =>
        (caller.Tenants.FirstOrDefault() ?? caller.AwaitingTwoFactor.FirstOrDefault())?.TenantId;

    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
