using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Portal.Audit;
using Portal.Data;
using Portal.Data.Entities;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Identity.Connect;

/// <summary>The OpenIddict pass-through endpoints: the portal decides who gets which claims.</summary>
public static class ConnectEndpoints
{
    public const string Authorize = "connect/authorize";
    public const string Token = "connect/token";
    public const string EndSession = "connect/endsession";
    public const string UserInfo = "connect/userinfo";
    public const string Revoke = "connect/revoke";

    public static IEndpointRouteBuilder MapConnectEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapPost("/" + Token, TokenAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapMethods("/" + EndSession, [HttpMethods.Get, HttpMethods.Post], EndSessionAsync).DisableAntiforgery().ExcludeFromDescription();
        app.MapMethods("/" + UserInfo, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync)
            .RequireAuthorization(p => p.AddAuthenticationSchemes(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> AuthorizeAsync(
        HttpContext http,
        UserManager<PortalUser> users,
        CallerResolver callers,
        IOpenIddictApplicationManager applications,
        IOpenIddictAuthorizationManager authorizations,
        AuditLog auditLog)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var cookie = await http.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var caller = cookie.Succeeded ? await callers.ResolveAsync(cookie.Principal!, http.RequestAborted) : null;
        if (caller is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "The user is not signed in.");
            }

            // Come back to this same authorization request after signing in.
            var parameters = http.Request.HasFormContentType ? http.Request.Form.ToList() : http.Request.Query.ToList();
            parameters.RemoveAll(p => p.Key == Parameters.Prompt);
            var returnUrl = http.Request.PathBase + http.Request.Path + QueryString.Create(parameters);
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [IdentityConstants.ApplicationScheme]);
        }

        var user = await users.GetUserAsync(cookie.Principal!)
            ?? throw new InvalidOperationException("The signed-in user no longer exists.");
        var application = await applications.FindByClientIdAsync(request.ClientId!)
            ?? throw new InvalidOperationException("The client application cannot be found.");

        var identity = await CreateUserIdentityAsync(users, user, request.GetScopes());
        // The portal's clients are first-party: consent is implicit, recorded as a permanent authorization so that
        // disabling the person revokes everything issued from it.
        var authorization = await authorizations.CreateAsync(
            identity, user.Id.ToString(), (await applications.GetIdAsync(application))!, AuthorizationTypes.Permanent, identity.GetScopes());
        identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization));
        await auditLog.RecordAsync(caller, caller.Tenants.FirstOrDefault()?.TenantId, "auth.client_authorized", "client", request.ClientId!,
            details: new { scopes = identity.GetScopes() }, cancellationToken: http.RequestAborted);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> TokenAsync(
        HttpContext http,
        UserManager<PortalUser> users,
        CallerResolver callers,
        IDbContextFactory<PortalDbContext> dbFactory,
        AuditLog auditLog)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.IsClientCredentialsGrantType())
        {
            await using var db = await dbFactory.CreateDbContextAsync(http.RequestAborted);
            var client = await db.ApiClients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == request.ClientId, http.RequestAborted);
            if (client is null || client.Disabled)
            {
                await auditLog.RecordAnonymousAsync(request.ClientId ?? "unknown", request.ClientId ?? "unknown", client?.TenantId,
                    "auth.token_refused", "client", request.ClientId ?? "unknown", Core.Audit.AuditOutcome.Denied, "The client is disabled or unknown.");
                return Refuse(Errors.InvalidClient, "The client is not allowed to act in any tenant.");
            }

            await auditLog.RecordAnonymousAsync(client.ClientId, client.DisplayName, client.TenantId, "auth.token_issued", "client",
                client.ClientId, Core.Audit.AuditOutcome.Success, details: new { grant = "client_credentials", role = client.Role.ToString() });

            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, client.ClientId)
                .SetClaim(Claims.Name, client.DisplayName)
                .SetClaim(PortalClaims.ClientKind, "true")
                .SetClaim(PortalClaims.Tenant, client.TenantId.ToString())
                .SetClaim(PortalClaims.TenantRole, client.Role.ToString());
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsDeviceCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = result.Principal?.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
            if (user is null || await callers.ResolveAsync(result.Principal!, http.RequestAborted) is null)
            {
                return Refuse(Errors.InvalidGrant, "The token is no longer valid.");
            }

            var identity = await CreateUserIdentityAsync(users, user, result.Principal!.GetScopes());
            identity.SetAuthorizationId(result.Principal!.GetAuthorizationId());
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "The grant type is not supported.");
    }

    /// <summary>
    /// RP-initiated sign-out ends this browser's session and is recorded like any sign-out. Unlike the portal's own
    /// sign-out (a POST with an antiforgery token) it does not end the person's other sessions: it is reachable by a
    /// plain GET from any site, which must not be able to sign someone out everywhere.
    /// </summary>
    private static async Task<IResult> EndSessionAsync(HttpContext http, SignInManager<PortalUser> signIn, UserManager<PortalUser> users,
        CallerResolver callers, AuditLog auditLog)
    {
        if (await users.GetUserAsync(http.User) is { } user)
        {
            var caller = await callers.ResolveAsync(http.User, http.RequestAborted);
            await auditLog.RecordAsync(caller, caller?.Tenants.FirstOrDefault()?.TenantId, "auth.signed_out", "account", user.Id.ToString(),
                details: new { via = "end_session" }, cancellationToken: http.RequestAborted);
        }

        await signIn.SignOutAsync();
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static async Task<IResult> UserInfoAsync(HttpContext http, UserManager<PortalUser> users)
    {
        var user = http.User.GetClaim(Claims.Subject) is { } subject ? await users.FindByIdAsync(subject) : null;
        if (user is null)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.Ok(new Dictionary<string, object?>
        {
            [Claims.Subject] = user.Id.ToString(),
            [Claims.Name] = user.DisplayName,
            [Claims.Email] = user.Email,
        });
    }

    internal static async Task<ClaimsIdentity> CreateUserIdentityAsync(UserManager<PortalUser> users, PortalUser user, ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, await users.GetUserIdAsync(user))
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.Name, user.DisplayName);
        if (user.IsSupport)
        {
            identity.SetClaim(PortalClaims.Support, "true");
        }

        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email when identity.HasScope(Scopes.Profile) || identity.HasScope(Scopes.Email)
                => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return identity;
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
