using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using Portal.Data.Entities;

namespace Portal.Identity;

/// <summary>Ends every session a person has: cookies (security stamp), Blazor circuits (revalidation) and tokens.</summary>
public sealed class SessionTerminator(
    UserManager<PortalUser> users,
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations)
{
    public async Task EndAllSessionsAsync(PortalUser user, CancellationToken cancellationToken = default)
    {
        await users.UpdateSecurityStampAsync(user);
        var subject = user.Id.ToString();
        await authorizations.RevokeBySubjectAsync(subject, cancellationToken);
        await tokens.RevokeBySubjectAsync(subject, cancellationToken);
    }
}
