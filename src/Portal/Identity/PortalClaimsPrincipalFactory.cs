using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity;

/// <summary>The session cookie carries who the person is; roles are read from the database per request.</summary>
public sealed class PortalClaimsPrincipalFactory(UserManager<PortalUser> userManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser>(userManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(Claims.Name, user.DisplayName));
        if (user.IsSupport)
        {
            identity.AddClaim(new Claim(PortalClaims.Support, "true"));
        }

        return identity;
    }
}
