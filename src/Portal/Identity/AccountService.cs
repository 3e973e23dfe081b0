using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Core.Accounts;
using Portal.Core.Audit;
using Portal.Data.Entities;
using Portal.Email;

namespace Portal.Identity;

/// <summary>
/// A person's own account: password reset, change of password and of email, email confirmation. The links carry
/// ASP.NET Core Identity's own tokens, which are bound to the account's security stamp, so a reset link stops working
/// once it (or any other change of password) has been used, and they expire after <c>Identity:EmailLinkMinutes</c>.
/// </summary>
public sealed class AccountService(
    UserManager<PortalUser> users,
    SessionTerminator sessions,
    EmailSender email,
    EmailTemplates templates,
    PortalLinks links,
    AuditLog auditLog,
    FailedSignIns failures,
    IOptions<DataProtectionTokenProviderOptions> tokenOptions,
    ILogger<AccountService> logger)
{
    /// <summary>The one answer to "forgot password", whether or not the address has an account.</summary>
    public const string ResetRequested = "If an account uses that address, a link to choose a new password is on its way. Check your inbox.";

    public const string InvalidLink = "This link does not work any more: it was used already, it expired, or a newer one was sent. Ask for a new one.";

    private TimeSpan LinkLifetime => tokenOptions.Value.TokenLifespan;

    public async Task RequestPasswordResetAsync(string address, CancellationToken ct = default)
    {
        var user = await users.FindByEmailAsync(address.Trim());
        if (user is null || !user.EmailConfirmed)
        {
            await auditLog.RecordAnonymousAsync("anonymous", address.Trim(), null, "account.password_reset_requested", "account", address.Trim(),
                AuditOutcome.Failure, "No account with a confirmed address.", cancellationToken: ct);
            return;
        }

        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        await SendQuietlyAsync(templates.PasswordReset(user.Email!, links.To($"account/reset-password?userId={user.Id}&code={code}"), LinkLifetime), ct);
        await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, null, "account.password_reset_requested", "account",
            user.Id.ToString(), AuditOutcome.Success, cancellationToken: ct);
    }

    /// <summary>Sets the new password and ends every session and token the person had.</summary>
    public async Task<IdentityResult> ResetPasswordAsync(Guid userId, string? code, string newPassword, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || Decode(code) is not { } token)
        {
            return Failed(InvalidLink);
        }

        var result = await users.ResetPasswordAsync(user, token, newPassword);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)) ? Failed(InvalidLink) : result;
        }

        await sessions.EndAllSessionsAsync(user, ct);
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        failures.Forget(user.Id.ToString());
        await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, null, "account.password_reset", "account", user.Id.ToString(),
            AuditOutcome.Success, details: new { sessionsEnded = true }, cancellationToken: ct);
        return result;
    }

    /// <summary>Changes the password and ends the person's other sessions and tokens; the caller signs this one in again.</summary>
    public async Task<IdentityResult> ChangePasswordAsync(PortalUser user, string currentPassword, string newPassword, CancellationToken ct = default)
    {
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            return result;
        }

        await sessions.EndAllSessionsAsync(user, ct);
        await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, null, "account.password_changed", "account", user.Id.ToString(),
            AuditOutcome.Success, cancellationToken: ct);
        return result;
    }

    /// <summary>Sends a confirmation link to the new address; the account keeps the old one until it is opened.</summary>
    public async Task<IdentityResult> RequestEmailChangeAsync(PortalUser user, string newAddress, CancellationToken ct = default)
    {
        newAddress = newAddress.Trim();
        if (!new EmailAddressAttribute().IsValid(newAddress) || newAddress.Length > 256)
        {
            return Failed("Enter a valid email address.");
        }

        if (string.Equals(newAddress, user.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Failed("That is the address the account has already.");
        }

        // Whether another account uses the address is told only to whoever opens the link sent to it.
        var code = Encode(await users.GenerateChangeEmailTokenAsync(user, newAddress));
        var link = links.To($"account/confirm-email?userId={user.Id}&email={Uri.EscapeDataString(newAddress)}&code={code}");
        await email.SendAsync(templates.ConfirmNewEmail(newAddress, link, LinkLifetime), ct);
        await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, null, "account.email_change_requested", "account",
            user.Id.ToString(), AuditOutcome.Success, details: new { newEmail = newAddress }, cancellationToken: ct);
        return IdentityResult.Success;
    }

    public async Task SendConfirmationAsync(PortalUser user, CancellationToken ct = default)
    {
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        await email.SendAsync(templates.ConfirmEmail(user.Email!, links.To($"account/confirm-email?userId={user.Id}&code={code}"), LinkLifetime), ct);
    }

    /// <summary>Confirms the account's address, or (with <paramref name="newAddress"/>) switches the account to it.</summary>
    public async Task<IdentityResult> ConfirmAsync(Guid userId, string? newAddress, string? code, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null || Decode(code) is not { } token)
        {
            return Failed(InvalidLink);
        }

        if (newAddress is null)
        {
            var confirmed = await users.ConfirmEmailAsync(user, token);
            return confirmed.Succeeded ? confirmed : Failed(InvalidLink);
        }

        var previous = user.Email;
        var changed = await users.ChangeEmailAsync(user, newAddress, token);
        if (!changed.Succeeded)
        {
            return changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
                ? Failed(InvalidLink)
                : Failed($"{newAddress} cannot be used: another account signs in with it.");
        }

        await users.SetUserNameAsync(user, newAddress);
        await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, null, "account.email_changed", "account", user.Id.ToString(),
            AuditOutcome.Success, details: new { previousEmail = previous, newEmail = newAddress }, cancellationToken: ct);
        return changed;
    }

    /// <summary>
    /// Creates the account of someone accepting an invitation. The address is confirmed: the invitation link reached it.
    /// </summary>
    public async Task<(IdentityResult Result, PortalUser? User)> CreateForInvitationAsync(string address, string name, string password)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
        {
            return (Failed("Enter your name (1 to 200 characters)."), null);
        }

        if (await users.FindByEmailAsync(address) is not null)
        {
            return (Failed($"An account with {address} exists already: sign in to accept the invitation."), null);
        }

        var user = new PortalUser { UserName = address, Email = address, EmailConfirmed = true, DisplayName = name.Trim() };
        var created = await users.CreateAsync(user, password);
        if (created.Succeeded)
        {
            await auditLog.RecordAnonymousAsync(user.Id.ToString(), user.DisplayName, null, "account.created", "account", user.Id.ToString(),
                AuditOutcome.Success, details: new { email = address, via = "invitation" });
        }

        return (created, created.Succeeded ? user : null);
    }

    /// <summary>The answer must not depend on whether the account exists, so a mail server failure is only logged.</summary>
    private async Task SendQuietlyAsync(OutgoingEmail message, CancellationToken ct)
    {
        try
        {
            await email.SendAsync(message, ct);
        }
        catch (EmailNotSentException e)
        {
            logger.LogError("A password reset link could not be sent: {Reason}", e.Message);
        }
    }

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    private static string? Decode(string? code)
    {
        try
        {
            return string.IsNullOrEmpty(code) ? null : Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IdentityResult Failed(string message) => IdentityResult.Failed(new IdentityError { Code = "Portal", Description = message });
}
