using Microsoft.AspNetCore.Identity;
using Portal.Data.Entities;

namespace Portal.Identity;

/// <summary>Password sign-in for the login page: one generic answer for every failure, lockout on repeated failures.</summary>
public sealed class SignInService(
    UserManager<PortalUser> users,
    SignInManager<PortalUser> signIn,
    CallerResolver callers,
    IPasswordHasher<PortalUser> hasher)
{
    /// <summary>The same words for an unknown account, a wrong password, a locked or a disabled one.</summary>
    public const string GenericFailure = "Sign-in failed: the email or password is wrong, or the account cannot sign in right now.";

    private static readonly PortalUser Nobody = new() { DisplayName = "", UserName = "nobody" };
    private static readonly string NobodyHash = new PasswordHasher<PortalUser>().HashPassword(Nobody, Guid.NewGuid().ToString());

    public async Task<bool> PasswordSignInAsync(HttpContext http, string email, string password)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            // Spend the same hashing time as for a real account, so timing does not tell which emails exist.
            hasher.VerifyHashedPassword(Nobody, NobodyHash, password);
            return false;
        }

        var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            return false;
        }

        var principal = await signIn.CreateUserPrincipalAsync(user);
        if (await callers.ResolveAsync(principal, http.RequestAborted) is null)
        {
            return false; // Disabled in every tenant.
        }

        await signIn.SignInAsync(user, isPersistent: false);
        return true;
    }

    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//") && !returnUrl.StartsWith("/\\")
            ? returnUrl
            : "/";
}
