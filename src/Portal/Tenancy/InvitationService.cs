using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Email;
using Portal.Identity;

namespace Portal.Tenancy;

public sealed record InviteMemberRequest(string Email, TenantRole Role);

public sealed record InvitationView(
    Guid Id, string Email, TenantRole Role, InvitationState State, string InvitedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>What the acceptance page shows about a link: which tenant, which role, for which address, and whether it still works.</summary>
public sealed record InvitationPreview(Guid Id, Guid TenantId, string TenantName, string Email, TenantRole Role, InvitationState State);

/// <summary>
/// Adding a person to a tenant is an invitation: an email with a single-use link. The account (existing or created on
/// the acceptance page) is attached only when its owner accepts. Inviting never looks at whether the address has an
/// account, so its answer cannot tell.
/// </summary>
public sealed class InvitationService(
    IDbContextFactory<PortalDbContext> dbFactory,
    TenantGuard guard,
    AuditLog auditLog,
    EmailSender email,
    EmailTemplates templates,
    PortalLinks links,
    TimeProvider clock)
{
    public const string AcceptPath = "account/invitation";

    public async Task<ServiceResult<IReadOnlyList<InvitationView>>> ListPendingAsync(Caller caller, Guid tenantId, CancellationToken ct = default)
    {
        if (caller.In(tenantId) is null)
        {
            return ServiceResult<IReadOnlyList<InvitationView>>.NotFound("No such tenant.");
        }

        return ServiceResult<IReadOnlyList<InvitationView>>.Ok(await PendingAsync(tenantId, ct));
    }

    /// <summary>The tenant's pending invitations, for a caller already allowed to see them.</summary>
    internal async Task<IReadOnlyList<InvitationView>> PendingAsync(Guid tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Invitations.AsNoTracking()
            .Where(i => i.TenantId == tenantId && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.CreatedAt)
            .ToListAsync(ct);
        return rows.Select(i => ToView(i, now)).ToList();
    }

    public async Task<ServiceResult<InvitationView>> InviteAsync(Caller caller, Guid tenantId, InviteMemberRequest request, CancellationToken ct = default)
    {
        if (await RequireAsync<InvitationView>(caller, tenantId, "invitation.send", request.Email ?? "", ct) is { } refused)
        {
            return refused;
        }

        return await SendAsync(caller, tenantId, request, alsoInPlatformTrail: false, ct);
    }

    /// <summary>
    /// Makes the invitation and mails its link, for a caller already allowed to invite: a TenantAdmin of the tenant, or a
    /// platform operator handing the tenant to its first admin, whose steps the platform's trail records too.
    /// </summary>
    internal async Task<ServiceResult<InvitationView>> SendAsync(
        Caller caller, Guid tenantId, InviteMemberRequest request, bool alsoInPlatformTrail, CancellationToken ct)
    {
        var errors = Validate(request);
        if (errors.Count > 0)
        {
            return ServiceResult<InvitationView>.Invalid(errors);
        }

        var address = request.Email!.Trim();
        var normalized = Invitation.NormalizeEmail(address);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Membership of this tenant is no secret to its admin (the member list shows it); accounts elsewhere are.
        if (await db.Memberships.AnyAsync(m => m.TenantId == tenantId && m.User!.NormalizedEmail == normalized, ct))
        {
            return ServiceResult<InvitationView>.Conflict($"{address} is already a member of this tenant.");
        }

        var tenantName = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).SingleAsync(ct);
        var token = Invitation.NewToken();
        var invitation = new TenantInvitation
        {
            TenantId = tenantId,
            Email = address,
            NormalizedEmail = normalized,
            Role = request.Role,
            TokenHash = Invitation.HashToken(token),
            InvitedById = caller.Subject,
            InvitedByName = caller.Name,
            CreatedAt = now,
            ExpiresAt = now + Invitation.Lifetime,
        };

        // A new invitation to the same address replaces the one still pending: only the latest link works.
        var replaced = await db.Invitations
            .Where(i => i.TenantId == tenantId && i.NormalizedEmail == normalized && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ToListAsync(ct);
        replaced.ForEach(i => i.RevokedAt = now);
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);

        // Sent while the admin waits, not from a job: the token exists only here and in the message, never in storage.
        try
        {
            await email.SendAsync(templates.Invitation(address, caller.Name, tenantName, request.Role.ToString(),
                links.To($"{AcceptPath}?token={token}"), invitation.ExpiresAt), ct);
        }
        catch (EmailNotSentException e)
        {
            db.Invitations.Remove(invitation);
            replaced.ForEach(i => i.RevokedAt = null);
            await db.SaveChangesAsync(CancellationToken.None);
            await RecordAsync(caller, tenantId, alsoInPlatformTrail, "invitation.sent", invitation.Id, AuditOutcome.Failure,
                e.Message, new { email = address, role = request.Role.ToString() }, ct);
            return ServiceResult<InvitationView>.Unavailable(e.Message + " No invitation was made.");
        }

        foreach (var old in replaced)
        {
            await RecordAsync(caller, tenantId, alsoInPlatformTrail, "invitation.revoked", old.Id, AuditOutcome.Success, null,
                new { email = old.Email, role = old.Role.ToString(), replacedBy = invitation.Id }, ct);
        }

        await RecordAsync(caller, tenantId, alsoInPlatformTrail, "invitation.sent", invitation.Id, AuditOutcome.Success, null,
            new { email = address, role = request.Role.ToString(), expiresAt = invitation.ExpiresAt }, ct);
        return ServiceResult<InvitationView>.Ok(ToView(invitation, now));
    }

    public async Task<ServiceResult<InvitationView>> RevokeAsync(Caller caller, Guid tenantId, Guid invitationId, CancellationToken ct = default)
    {
        if (await RequireAsync<InvitationView>(caller, tenantId, "invitation.revoke", invitationId.ToString(), ct) is { } refused)
        {
            return refused;
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.TenantId == tenantId, ct);
        if (invitation is null)
        {
            return ServiceResult<InvitationView>.NotFound("No such invitation.");
        }

        var state = Invitation.StateOf(invitation.ExpiresAt, invitation.AcceptedAt, invitation.RevokedAt, now);
        if (state != InvitationState.Pending)
        {
            return ServiceResult<InvitationView>.Conflict($"The invitation is {state.ToString().ToLowerInvariant()} already.");
        }

        invitation.RevokedAt = now;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await auditLog.RecordAsync(db, caller, tenantId, "invitation.revoked", "invitation", invitation.Id.ToString(),
            AuditOutcome.Success, null, new { email = invitation.Email, role = invitation.Role.ToString() }, ct);
        await transaction.CommitAsync(ct);
        return ServiceResult<InvitationView>.Ok(ToView(invitation, now));
    }

    /// <summary>Null when no invitation has this token (or it cannot be one).</summary>
    public async Task<InvitationPreview?> PreviewAsync(string? token, CancellationToken ct = default)
    {
        if (!Invitation.IsWellFormed(token))
        {
            return null;
        }

        var hash = Invitation.HashToken(token!);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Invitations.AsNoTracking().Include(i => i.Tenant).SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        return row is null
            ? null
            : new InvitationPreview(row.Id, row.TenantId, row.Tenant!.Name, row.Email, row.Role,
                Invitation.StateOf(row.ExpiresAt, row.AcceptedAt, row.RevokedAt, now));
    }

    /// <summary>
    /// Uses the invitation for <paramref name="user"/> (whose address must be the invited one) and attaches them to the
    /// tenant with its role. The invitation is claimed by one conditional update, so two tabs accepting at once cannot
    /// both succeed.
    /// </summary>
    public async Task<ServiceResult<InvitationPreview>> AcceptAsync(string? token, PortalUser user, CancellationToken ct = default)
    {
        var preview = await PreviewAsync(token, ct);
        if (preview is not { State: InvitationState.Pending })
        {
            return ServiceResult<InvitationPreview>.Conflict(Invitation.Refusal(preview?.State));
        }

        if (Invitation.NormalizeEmail(user.Email ?? "") != Invitation.NormalizeEmail(preview.Email))
        {
            return ServiceResult<InvitationPreview>.Forbidden(
                $"This invitation is for {preview.Email}; you are signed in as {user.Email}. Sign out and accept it with the invited address.");
        }

        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.Invitations
            .Where(i => i.Id == preview.Id && i.AcceptedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now).SetProperty(i => i.AcceptedUserId, user.Id), ct);
        if (claimed != 1)
        {
            return ServiceResult<InvitationPreview>.Conflict(Invitation.Refusal(null));
        }

        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.TenantId == preview.TenantId && m.UserId == user.Id, ct);
        if (membership is null)
        {
            db.Memberships.Add(new TenantMembership { TenantId = preview.TenantId, UserId = user.Id, Role = preview.Role, CreatedAt = now });
        }
        else
        {
            // Removed and invited back in a race with a re-enable: the invitation's role and an enabled membership win.
            membership.Role = preview.Role;
            membership.Disabled = false;
        }

        await db.SaveChangesAsync(ct);
        await auditLog.RecordAnonymousAsync(db, user.Id.ToString(), user.DisplayName, preview.TenantId, "invitation.accepted", "invitation",
            preview.Id.ToString(), AuditOutcome.Success, details: new { email = preview.Email, role = preview.Role.ToString() }, cancellationToken: ct);
        await transaction.CommitAsync(ct);
        return ServiceResult<InvitationPreview>.Ok(preview with { State = InvitationState.Accepted });
    }

    private static Dictionary<string, string[]> Validate(InviteMemberRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email) || request.Email.Trim().Length > 256 || !new EmailAddressAttribute().IsValid(request.Email.Trim()))
        {
            errors[nameof(request.Email)] = ["Enter a valid email address."];
        }

        if (!Enum.IsDefined(request.Role))
        {
            errors[nameof(request.Role)] = ["Role must be TenantAdmin, Developer or Auditor."];
        }

        return errors;
    }

    /// <summary>In the tenant's trail, where its admins see who invited whom; an operator's hand-over also in the platform's.</summary>
    private async Task RecordAsync(Caller caller, Guid tenantId, bool alsoInPlatformTrail, string action, Guid invitationId,
        AuditOutcome outcome, string? reason, object details, CancellationToken ct)
    {
        await auditLog.RecordAsync(caller, tenantId, action, "invitation", invitationId.ToString(), outcome, reason, details, ct);
        if (alsoInPlatformTrail)
        {
            await auditLog.RecordAsync(caller, null, action, "invitation", invitationId.ToString(), outcome, reason,
                new { tenantId, invitation = details }, ct);
        }
    }

    private static InvitationView ToView(TenantInvitation i, DateTimeOffset now) =>
        new(i.Id, i.Email, i.Role, Invitation.StateOf(i.ExpiresAt, i.AcceptedAt, i.RevokedAt, now), i.InvitedByName, i.CreatedAt, i.ExpiresAt);

    private Task<ServiceResult<T>?> RequireAsync<T>(Caller caller, Guid tenantId, string action, string resource, CancellationToken ct) =>
        guard.RequireAsync<T>(caller, tenantId, AccessPolicy.CanManageMembers, "Only a TenantAdmin can manage members", action, "member", resource, ct);
}
