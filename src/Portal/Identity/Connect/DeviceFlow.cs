using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Audit;
using Portal.Data.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.Connect;

/// <summary>
/// The OAuth 2.0 device authorization grant (RFC 8628) for the <c>portal</c> command line: the CLI asks
/// /connect/device for a code, the person enters it at /connect/verify while signed in and approves, the CLI's
/// polling of /connect/token then gets tokens (with a refresh token) for that person.
/// </summary>
public static class DeviceFlow
{
    public const string DeviceAuthorization = "connect/device";

    /// <summary>The verification page (a Razor page) and the form it posts the decision to.</summary>
    public const string Verify = "connect/verify";
    public const string VerifyDecision = "connect/verify/decision";

    /// <summary>The public client the command line signs in with.</summary>
    public const string CliClientId = "portal-cli";

    public static OpenIddictServerBuilder AddPortalDeviceFlow(this OpenIddictServerBuilder options) =>
        options.SetDeviceAuthorizationEndpointUris(DeviceAuthorization)
            .SetEndUserVerificationEndpointUris(Verify, VerifyDecision)
            .AllowDeviceAuthorizationFlow();

    public static IEndpointRouteBuilder MapDeviceVerification(this IEndpointRouteBuilder app)
    {
        // The antiforgery token of the page's form is checked here (form binding); the cookie names the person.
        app.MapPost("/" + VerifyDecision, DecideAsync)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser())
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> DecideAsync(
        [FromForm] string decision,
        HttpContext http,
        UserManager<PortalUser> users,
        CallerResolver callers,
        IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations,
        AuditLog auditLog)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var caller = await callers.ResolveAsync(http.User, http.RequestAborted);
        var user = await users.GetUserAsync(http.User);
        if (!result.Succeeded || result.Principal.GetClaim(Claims.ClientId) is not { } clientId || user is null || caller is null)
        {
            return Results.LocalRedirect($"~/{Verify}?error=invalid");
        }

        if (decision != "approve")
        {
            await auditLog.RecordAsync(caller, caller.Tenants.FirstOrDefault()?.TenantId, "auth.device_denied", "client", clientId,
                cancellationToken: http.RequestAborted);
            return Results.Forbid(new AuthenticationProperties { RedirectUri = $"/{Verify}?denied=true" },
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var application = await applications.FindByClientIdAsync(clientId)
            ?? throw new InvalidOperationException("The client application cannot be found.");
        var identity = await ConnectEndpoints.CreateUserIdentityAsync(users, user, result.Principal.GetScopes());
        // As with the authorization code flow: a permanent authorization, so disabling the person revokes these tokens.
        var authorization = await authorizations.CreateAsync(
            identity, user.Id.ToString(), (await applications.GetIdAsync(application))!, AuthorizationTypes.Permanent, identity.GetScopes());
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization));
        await auditLog.RecordAsync(caller, caller.Tenants.FirstOrDefault()?.TenantId, "auth.device_approved", "client", clientId,
            details: new { scopes = identity.GetScopes() }, cancellationToken: http.RequestAborted);
        return Results.SignIn(new ClaimsPrincipal(identity), new AuthenticationProperties { RedirectUri = $"/{Verify}?approved=true" },
            OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}

/// <summary>Registers the command line's public client at start, in every environment (it holds no secret).</summary>
public sealed class CliClientRegistration(IServiceProvider services, ILogger<CliClientRegistration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            if (await applications.FindByClientIdAsync(DeviceFlow.CliClientId, cancellationToken) is not null)
            {
                return;
            }

            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = DeviceFlow.CliClientId,
                ClientType = ClientTypes.Public,
                DisplayName = "Portal command line",
                Permissions =
                {
                    Permissions.Endpoints.DeviceAuthorization,
                    Permissions.Endpoints.Token,
                    Permissions.Endpoints.Revocation,
                    Permissions.GrantTypes.DeviceCode,
                    Permissions.GrantTypes.RefreshToken,
                    Permissions.Prefixes.Scope + PortalScopes.Api,
                },
            }, cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            // A portal that cannot reach its database yet still starts (health checks say why); the CLI's sign-in waits for a restart.
            logger.LogWarning(e, "Could not register the {ClientId} client; portal login will fail until the next start.", DeviceFlow.CliClientId);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
