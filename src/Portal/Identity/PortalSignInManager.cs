using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Entities;

namespace Portal.Identity;

/// <summary>
/// Identity's sign-in manager with one step made reachable: after the password was checked (and the portal's own
/// checks passed), sign the person in, or, when they have two-factor sign-in, keep only Identity's short-lived
/// "password accepted" cookie and ask for the second factor. Identity's own <c>PasswordSignInAsync</c> does both
/// steps at once and leaves no room for the portal's check in between.
/// </summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> users,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> options,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation)
    : SignInManager<PortalUser>(users, contextAccessor, claimsFactory, options, logger, schemes, confirmation)
{
    /// <returns><see cref="SignInResult.Success"/> with the session cookie set, or <see cref="SignInResult.TwoFactorRequired"/>.</returns>
    public Task<SignInResult> SignInOrAskForSecondFactorAsync(PortalUser user) => SignInOrTwoFactorAsync(user, isPersistent: false);
}
