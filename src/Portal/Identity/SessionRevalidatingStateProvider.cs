using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Entities;

namespace Portal.Identity;

/// <summary>
/// Re-checks a circuit's user on an interval: a changed security stamp (sign-out everywhere, password reset) or a
/// caller that no longer resolves ends the circuit's authenticated state, and the page sends the person to sign in.
/// A caller whose tenants or roles changed (disabled or removed in one tenant, a new role) keeps the circuit, but the
/// state is announced again so the layout resolves the caller afresh: the page stops acting in a tenant it lost.
/// </summary>
public sealed class SessionRevalidatingStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    IConfiguration configuration)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    private volatile string? _observedAccess;

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
        if (caller is null)
        {
            return false;
        }

        if (_observedAccess is { } observed && observed != AccessOf(caller))
        {
            NotifyAuthenticationStateChanged(Task.FromResult(new AuthenticationState(principal)));
        }

        return true;
    }

    /// <summary>The caller the circuit's pages act as, as the layout resolved it; revalidation compares against it.</summary>
    public void Observe(Caller caller) => _observedAccess = AccessOf(caller);

    private static string AccessOf(Caller caller) =>
        string.Join(",", caller.Tenants.Select(t => $"{t.TenantId}:{t.Role}:{t.LookIn}")) + $"|{caller.IsSupport}|{caller.IsOperator}";
}
