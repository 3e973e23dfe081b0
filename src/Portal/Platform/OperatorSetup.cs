using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Tenancy;

namespace Portal.Platform;

public sealed record OperatorSetupRequest(string Email, string DisplayName, string Password);

/// <summary>
/// The /setup page's work: checks the one-time token, and creates the first platform operator with it. Burning the token
/// and creating the account are one transaction, so a failed creation (a weak password) leaves the link usable, and of
/// two people using the link at once the database lets exactly one delete the token.
/// </summary>
public sealed class OperatorSetup(
    PortalDbContext db, UserManager<PortalUser> users, SignInManager<PortalUser> signIn, CallerResolver callers, AuditLog auditLog, TimeProvider clock)
{
    public const string Action = "platform.operator_created";

    public async Task<SetupTokenState> CheckAsync(string? token, CancellationToken ct = default)
    {
        if (!SetupToken.IsWellFormed(token))
        {
            return SetupTokenState.Unknown;
        }

        var hash = SetupToken.Hash(token!);
        var expiry = await db.PlatformSetupTokens.AsNoTracking().Where(t => t.TokenHash == hash)
            .Select(t => (DateTimeOffset?)t.ExpiresAt).SingleOrDefaultAsync(ct);
        return SetupToken.Check(expiry, clock.GetUtcNow());
    }

    public static string Explain(SetupTokenState state) => state switch
    {
        SetupTokenState.Expired => "This setup link has expired: links are valid for one hour. Restart the portal; while no platform operator exists, "
            + "each start logs a new link.",
        _ => "This setup link is not valid or has already been used. If the platform has its operator, sign in instead.",
    };

    /// <summary>Creates the operator and signs them in (the current request gets the session cookie); the token is gone afterwards.</summary>
    public async Task<ServiceResult<PortalUser>> CreateOperatorAsync(string? token, OperatorSetupRequest request, CancellationToken ct = default)
    {
        var email = request.Email.Trim();
        var state = await CheckAsync(token, ct);
        if (state != SetupTokenState.Valid)
        {
            return await RefuseAsync(email, ServiceResult<PortalUser>.Invalid("token", Explain(state)), ct);
        }

        var errors = new Dictionary<string, string[]>();
        if (!new EmailAddressAttribute().IsValid(email) || email.Length == 0)
        {
            errors["Email"] = ["Enter a valid email address."];
        }

        if (TenantRules.CheckName(request.DisplayName) is not null)
        {
            errors["DisplayName"] = ["Enter your name (at most 200 characters); it appears in the audit trail."];
        }

        if (errors.Count > 0)
        {
            return ServiceResult<PortalUser>.Invalid(errors);
        }

        var user = new PortalUser { UserName = email, Email = email, DisplayName = request.DisplayName.Trim(), IsOperator = true };
        var hash = SetupToken.Hash(token!);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            var now = clock.GetUtcNow();
            // The database decides: of concurrent uses, one deletes the row, the others find nothing to delete.
            if (await db.PlatformSetupTokens.Where(t => t.TokenHash == hash && t.ExpiresAt > now).ExecuteDeleteAsync(ct) != 1)
            {
                await transaction.RollbackAsync(ct);
                return await RefuseAsync(email, ServiceResult<PortalUser>.Invalid("token", Explain(SetupTokenState.Unknown)), ct);
            }

            var created = await users.CreateAsync(user, request.Password);
            if (!created.Succeeded)
            {
                await transaction.RollbackAsync(ct);
                return ServiceResult<PortalUser>.Invalid(created.Errors
                    .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "Password" : "Email")
                    .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));
            }

            // Tokens of other instances started at the same time go too: the platform has its operator.
            await db.PlatformSetupTokens.ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        var caller = await callers.ResolveAsync(principal, ct);
        await auditLog.RecordAsync(caller, null, Action, "account", user.Id.ToString(),
            reason: "The first platform operator, created with the one-time setup link.", details: new { displayName = user.DisplayName }, cancellationToken: ct);
        await signIn.SignInAsync(user, isPersistent: false);
        await auditLog.RecordAsync(caller, null, "auth.signed_in", "account", user.Id.ToString(), cancellationToken: ct);
        return ServiceResult<PortalUser>.Ok(user);
    }

    private async Task<ServiceResult<PortalUser>> RefuseAsync(string email, ServiceResult<PortalUser> answer, CancellationToken ct)
    {
        await auditLog.RecordAnonymousAsync("anonymous", email, null, Action, "account", email, AuditOutcome.Denied, answer.Message, cancellationToken: ct);
        return answer;
    }
}
