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
/// Sign-in for the login pages: one generic answer for every failure. Wrong passwords lock the client address out of
/// that account (<see cref="FailedSignIns"/>), so nobody can keep the owner out from elsewhere; far more failures across
/// addresses lock the account itself, as do wrong codes of the second factor (Identity's lockout). A reset lifts both.
/// </summary>
public sealed class SignInService(
    UserManager<PortalUser> users,
    PortalSignInManager signIn,
    CallerResolver callers,
    IPasswordHasher<PortalUser> hasher,
    FailedSignIns failures,
    TimeProvider clock,
    IConfiguration configuration,
    AuditLog auditLog)
{
    /// <summary>The same words for an unknown account, a wrong password, a locked or a disabled one.</summary>
    public const string GenericFailure = "Sign-in failed: the email or password is wrong, or the account cannot sign in right now.";

    /// <summary>The same words for a wrong code, a used recovery code and a locked account.</summary>
    public const string SecondFactorFailure = "That code is not right, or the account cannot sign in right now.";

    private static readonly PortalUser Nobody = new() { DisplayName = "", UserName = "nobody" };
    private static readonly string NobodyHash = new PasswordHasher<PortalUser>().HashPassword(Nobody, Guid.NewGuid().ToString());

    /// <summary>How long a lockout lasts, and the window failures are counted in (<c>Identity:LockoutMinutes</c>).</summary>
    public static TimeSpan LockoutWindow(IConfiguration configuration) =>
        TimeSpan.FromMinutes(configuration.GetValue("Identity:LockoutMinutes", 15));

    /// <summary>The client's address, as the forwarded headers of a trusted proxy give it.</summary>
    public static string ClientAddress(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

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
        var (account, address, now) = (user.Id.ToString(), ClientAddress(http), clock.GetUtcNow());
        if (failures.IsBlocked(account, address, now))
        {
            // Not even checked: the answer must not tell a guesser at a blocked address that a guess was right.
            await auditLog.RecordAnonymousAsync(account, user.DisplayName, homeTenant, "auth.locked_out", "account", account, AuditOutcome.Failure,
                "This address is locked out of the account after repeated failures.", new { address });
            return SignInStep.Failed;
        }

        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false);
        if (!check.Succeeded)
        {
            var reason = check.IsLockedOut ? "The account is locked out after repeated failures." : "Wrong password.";
            var lockedOut = check.IsLockedOut;
            if (!check.IsLockedOut && !check.IsNotAllowed)
            {
                var verdict = failures.RecordFailure(account, address, now);
                if (verdict.AccountLockedOut)
                {
                    await users.SetLockoutEndDateAsync(user, now + LockoutWindow(configuration));
                    (reason, lockedOut) = ("Too many wrong passwords from many addresses: the account is locked out.", true);
                }
                else if (verdict.AddressBlocked)
                {
                    (reason, lockedOut) = ("Wrong password; this address is now locked out of the account for a while.", true);
                }
            }

            await auditLog.RecordAnonymousAsync(account, user.DisplayName, homeTenant,
                lockedOut ? "auth.locked_out" : "auth.sign_in_failed", "account", account, AuditOutcome.Failure, reason, new { address });
            return SignInStep.Failed;
        }

        failures.Succeeded(account, address);
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
