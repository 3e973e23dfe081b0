using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Core.Accounts;
using Portal.Core.Tenancy;
using Portal.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity;

public sealed class CallerResolver(IDbContextFactory<PortalDbContext> dbFactory)
{
    /// <summary>Null when the principal is anonymous, unknown, disabled everywhere or locked out.</summary>
    public async Task<Caller?> ResolveAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (principal.Identity?.IsAuthenticated != true || principal.FindFirst(Claims.Subject)?.Value is not { } subject)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (principal.HasClaim(PortalClaims.ClientKind, "true"))
        {
            var client = await db.ApiClients.AsNoTracking()
                .Where(c => c.ClientId == subject && !c.Disabled)
                .Select(c => new { c.ClientId, c.DisplayName, c.TenantId, TenantName = c.Tenant!.Name, c.Role })
                .SingleOrDefaultAsync(cancellationToken);
            return client is null
                ? null
                : new Caller(client.ClientId, client.DisplayName, IsClient: true, IsSupport: false,
                    [new TenantAccess(client.TenantId, client.TenantName, client.Role)]);
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
                Memberships = u.Memberships.Where(m => !m.Disabled).OrderBy(m => m.CreatedAt)
                    .Select(m => new { Access = new TenantAccess(m.TenantId, m.Tenant!.Name, m.Role), m.Tenant.RequireTwoFactor }).ToList(),
            })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null || user.LockoutEnd > now || (user.Memberships.Count == 0 && !user.IsSupport && !user.IsOperator))
        {
            return null;
        }

        var accesses = user.Memberships.Select(m => (m.Access, m.RequireTwoFactor)).ToList();
        if (user.IsSupport)
        {
            // A tenant that requires two-factor sign-in asks it of support staff looking in as well as of its members.
            var lookIns = await db.SupportLookIns.AsNoTracking()
                .Where(l => l.SupportUserId == userId && l.ExpiresAt > now)
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
            AwaitingTwoFactor = admitted[false].ToList(),
        };
    }
}
