using Microsoft.AspNetCore.Identity;
using Portal.Audit;
using Portal.Core.Accounts;
using Portal.Core.Audit;
using Portal.Data.Entities;
using Portal.Tenancy;

namespace Portal.Identity;

/// <summary>Where a person's two-factor sign-in stands, for the account security page.</summary>
/// <param name="SharedKey">While setting up: the key the app needs (also inside <paramref name="AuthenticatorUri"/>).</param>
/// <param name="RequiredBy">Tenants the person belongs to that require two-factor sign-in.</param>
public sealed record TwoFactorStatus(
    bool Enabled, string? SharedKey, string? AuthenticatorUri, int RecoveryCodesLeft, IReadOnlyList<TenantAccess> RequiredBy);

/// <summary>
/// Setting up, using and turning off sign-in with an authenticator app, on ASP.NET Core Identity's own support: the
/// authenticator key and its time-based codes, and recovery codes. Each change is audited in every tenant the person
/// belongs to (no key or code ever enters the trail). Turning two-factor on or off changes the security stamp, which
/// ends the person's other sessions; this browser's cookie is renewed so it stays signed in.
/// </summary>
public sealed class TwoFactorService(
    UserManager<PortalUser> users,
    PortalSignInManager signIn,
    AuditLog auditLog)
{
    public const int RecoveryCodeCount = 10;

    /// <param name="caller">Resolved after any change this request made, so its tenants show where the person stands now.</param>
    public async Task<TwoFactorStatus> StatusAsync(PortalUser user, Caller caller)
    {
        var enabled = await users.GetTwoFactorEnabledAsync(user);
        var key = enabled ? null : await users.GetAuthenticatorKeyAsync(user);
        var requiredBy = caller.Tenants.Concat(caller.AwaitingTwoFactor).Where(t => t.RequiresTwoFactor).ToList();
        return new TwoFactorStatus(enabled, key, key is null ? null : AuthenticatorSetup.Uri(user.Email!, key),
            enabled ? await users.CountRecoveryCodesAsync(user) : 0, requiredBy);
    }

    /// <summary>A new key for the app, shown until a code from it confirms the set-up.</summary>
    public async Task<ServiceResult<bool>> StartAsync(PortalUser user, Caller caller)
    {
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return ServiceResult<bool>.Conflict("Two-factor sign-in is already on; turn it off first to use another app.");
        }

        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        await RecordAsync(caller, "two_factor.setup_started");
        return ServiceResult<bool>.Ok(true);
    }

    /// <summary>Turns two-factor sign-in on with a code from the app; answers the recovery codes, shown this once.</summary>
    public async Task<ServiceResult<IReadOnlyList<string>>> EnableAsync(PortalUser user, Caller caller, string? code)
    {
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return ServiceResult<IReadOnlyList<string>>.Conflict("Two-factor sign-in is already on.");
        }

        if (await users.GetAuthenticatorKeyAsync(user) is null)
        {
            return ServiceResult<IReadOnlyList<string>>.Conflict("Start the set-up first: the app needs a key.");
        }

        var factor = SecondFactor.Read(code);
        if (factor.Kind != SecondFactorKind.AuthenticatorCode
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, factor.Value))
        {
            return ServiceResult<IReadOnlyList<string>>.Invalid("Code",
                "That is not the code the app shows now. Enter the six digits it shows for Portal; check that the device's clock is right.");
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await signIn.RefreshSignInAsync(user);
        await RecordAsync(caller, "two_factor.enabled", new { recoveryCodes = codes.Count });
        return ServiceResult<IReadOnlyList<string>>.Ok(codes);
    }

    /// <summary>New recovery codes in place of the old ones; asks for a current code (or one of the old recovery codes).</summary>
    public async Task<ServiceResult<IReadOnlyList<string>>> RegenerateRecoveryCodesAsync(PortalUser user, Caller caller, string? code)
    {
        if (await VerifyCurrentFactorAsync<IReadOnlyList<string>>(user, code) is { } refused)
        {
            return refused;
        }

        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount))!.ToList();
        await RecordAsync(caller, "two_factor.recovery_codes.regenerated", new { recoveryCodes = codes.Count });
        return ServiceResult<IReadOnlyList<string>>.Ok(codes);
    }

    /// <summary>
    /// Turns two-factor sign-in off; asks for a current code (or a recovery code, for a lost device). The key is
    /// replaced, so the app's old entry never works again.
    /// </summary>
    public async Task<ServiceResult<bool>> DisableAsync(PortalUser user, Caller caller, string? code)
    {
        if (await VerifyCurrentFactorAsync<bool>(user, code) is { } refused)
        {
            return refused;
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        await RecordAsync(caller, "two_factor.disabled");
        return ServiceResult<bool>.Ok(false);
    }

    /// <summary>
    /// A signed-in browser left open must not be enough to change the second factor: a wrong code counts toward
    /// lockout as at sign-in, and a locked-out person's sessions stop at their next request.
    /// </summary>
    private async Task<ServiceResult<T>?> VerifyCurrentFactorAsync<T>(PortalUser user, string? code)
    {
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            return ServiceResult<T>.Conflict("Two-factor sign-in is off.");
        }

        var factor = SecondFactor.Read(code);
        if (factor.Kind == SecondFactorKind.Unreadable)
        {
            return ServiceResult<T>.Invalid("Code", "Enter the six digits your app shows, or one of your recovery codes.");
        }

        var valid = factor.Kind == SecondFactorKind.RecoveryCode
            ? (await users.RedeemTwoFactorRecoveryCodeAsync(user, factor.Value)).Succeeded
            : await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, factor.Value);
        if (!valid)
        {
            await users.AccessFailedAsync(user);
            return ServiceResult<T>.Invalid("Code", "That code is not right.");
        }

        await users.ResetAccessFailedCountAsync(user);
        return null;
    }

    /// <summary>Every tenant the person belongs to sees the change in its trail; a person in none, the platform's.</summary>
    private async Task RecordAsync(Caller caller, string action, object? details = null)
    {
        var tenants = caller.Tenants.Concat(caller.AwaitingTwoFactor).Where(t => !t.LookIn).Select(t => (Guid?)t.TenantId).Distinct().ToList();
        foreach (var tenantId in tenants.Count == 0 ? [null] : tenants)
        {
            await auditLog.RecordAsync(caller, tenantId, action, "account", caller.Subject, AuditOutcome.Success, details: details);
        }
    }
}
