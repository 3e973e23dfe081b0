using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Accounts;
using Portal.Core.Tenancy;
using Portal.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity;

public sealed class CallerResolver(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>The claim naming the person or client a principal stands for.</summary>
    public const string SubjectClaim = Claims.Subject;

    /// <summary>
    /// Null when the principal is anonymous, unknown, disabled everywhere, locked out or only in deleted tenants. A member of
    /// suspended tenants only still resolves (with no tenant to act in), so pages and the API can say why nothing opens.
    /// </summary>
    /// <summary>
    /// The same person or client as the database has them now: an open page holds the caller it resolved when it opened,
    /// and a change must be decided by current memberships, roles and look-ins, not by that copy.
    /// </summary>
    public Task<Caller?> CurrentAsync(Caller caller, CancellationToken cancellationToken = default)
    {
        List<Claim> claims = [new(Claims.Subject, caller.Subject)];
        if (caller.IsClient)
        {
            claims.Add(new Claim(PortalClaims.ClientKind, "true"));
        }

        return ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType: "current")), cancellationToken);
    }

    public async Task<Caller?> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.Identity is WarmUpIdentity warmUp)
        {
            // Built in this process by the console's warm-up, never read from a request: its read-only system caller.
            return warmUp.Caller;
        }

        if (principal.Identity?.IsAuthenticated != true || principal.FindFirst(Claims.Subject)?.Value is not { } subject)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (principal.HasClaim(PortalClaims.ClientKind, "true"))
        {
            var client = await db.ApiClients.AsNoTracking()
                .Where(c => c.ClientId == subject && !c.Disabled && c.Tenant!.DeletedAt == null)
                .Select(c => new { c.ClientId, c.DisplayName, c.TenantId, TenantName = c.Tenant!.Name, c.Role, Suspended = c.Tenant.SuspendedAt != null })
                .SingleOrDefaultAsync(cancellationToken);
            if (client is null)
            {
                return null;
            }

            TenantAccess access = new(client.TenantId, client.TenantName, client.Role);
            return client.Suspended
                ? new Caller(client.ClientId, client.DisplayName, IsClient: true, IsSupport: false, []) { Suspended = [access] }
                : new Caller(client.ClientId, client.DisplayName, IsClient: true, IsSupport: false, [access]);
        }

        if (!Guid.TryParse(subject, out var userId))
        {
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new
            {
                u.Id,
                u.DisplayName,
                u.IsSupport,
                u.IsOperator,
                u.LockoutEnd,
                u.TwoFactorEnabled,
                Memberships = u.Memberships.Where(m => !m.Disabled && m.Tenant!.DeletedAt == null).OrderBy(m => m.CreatedAt)
                    .Select(m => new { Access = new TenantAccess(m.TenantId, m.Tenant!.Name, m.Role), Suspended = m.Tenant.SuspendedAt != null, m.Tenant.RequireTwoFactor })
                    .ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null || user.LockoutEnd > now || (user.Memberships.Count == 0 && !user.IsSupport && !user.IsOperator))
        {
            return null;
        }

        var suspended = user.Memberships.Where(m => m.Suspended).Select(m => m.Access).ToList();
        var accesses = user.Memberships.Where(m => !m.Suspended).Select(m => (m.Access, m.RequireTwoFactor)).ToList();
        if (user.IsSupport)
        {
            // A tenant that requires two-factor sign-in asks it of support staff looking in as well as of its members.
            var lookIns = await db.SupportLookIns.AsNoTracking()
                .Where(l => l.SupportUserId == userId && l.ExpiresAt > now && l.Tenant!.DeletedAt == null)
                .Select(l => new { Access = new TenantAccess(l.TenantId, l.Tenant!.Name, TenantRole.Auditor, true), l.Tenant.RequireTwoFactor })
                .ToListAsync(cancellationToken);
            accesses.AddRange(lookIns.DistinctBy(l => l.Access.TenantId)
                .Where(l => accesses.All(a => a.Access.TenantId != l.Access.TenantId))
                .Select(l => (l.Access, l.RequireTwoFactor)));
        }

        var admitted = accesses.ToLookup(a => TwoFactorPolicy.Admits(a.RequireTwoFactor, user.TwoFactorEnabled),
            a => a.Access with { RequiresTwoFactor = a.RequireTwoFactor });

        // The first tenant a person joined is where they land; the switcher offers the others.
        return new Caller(user.Id.ToString(), user.DisplayName, IsClient: false, user.IsSupport, admitted[true].ToList())
        {
            IsOperator = user.IsOperator,
            Suspended = suspended,
            AwaitingTwoFactor = admitted[false].ToList(),
        };
    }
}
