using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Entities;

namespace Portal.Identity;

/// <summary>
/// Re-checks a circuit's user on an interval: a changed security stamp (sign-out everywhere, disabled member) or a
/// caller that no longer resolves ends the circuit's authenticated state, and the page sends the person to sign in.
/// </summary>
public sealed class SessionRevalidatingStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval { get; } =
        TimeSpan.FromSeconds(configuration.GetValue("Identity:SessionRevalidationSeconds", 30));

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var principal = authenticationState.User;
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (users.SupportsUserSecurityStamp)
        {
            var stamp = principal.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
            if (stamp != await users.GetSecurityStampAsync(user))
            {
                return false;
            }
        }

        var caller = await scope.ServiceProvider.GetRequiredService<CallerResolver>().ResolveAsync(principal, cancellationToken);
        return caller is not null;
    }
}
