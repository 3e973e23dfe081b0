using Microsoft.AspNetCore.Identity;
using Portal.Audit;
using Portal.Data.Entities;

namespace Portal.Identity;

public static class AccountEndpoints
{
    public const string TenantCookie = "portal.tenant";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ExcludeFromDescription();

        // Signing out ends this person's session everywhere a cookie or circuit holds it: the security stamp changes,
        // so every other cookie fails its next validation and every circuit its next revalidation.
        account.MapPost("/logout", async (HttpContext http, SignInManager<PortalUser> signIn, UserManager<PortalUser> users,
            CallerResolver callers, AuditLog auditLog) =>
        {
            if (await users.GetUserAsync(http.User) is { } user)
            {
                var caller = await callers.ResolveAsync(http.User, http.RequestAborted);
                await users.UpdateSecurityStampAsync(user);
                await auditLog.RecordAsync(caller, caller?.Tenants.FirstOrDefault()?.TenantId, "auth.signed_out", "account", user.Id.ToString(),
                    cancellationToken: http.RequestAborted);
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        });

        account.MapGet("/tenant/{tenantId:guid}", async (Guid tenantId, string? returnUrl, HttpContext http, CallerResolver callers) =>
        {
            var caller = await callers.ResolveAsync(http.User, http.RequestAborted);
            // A tenant awaiting the person's two-factor sign-in can be chosen: its pages then ask them to set it up.
            if (caller?.In(tenantId) is null && caller?.AwaitingTwoFactor.Any(t => t.TenantId == tenantId) != true)
            {
                return Results.NotFound();
            }

            http.Response.Cookies.Append(TenantCookie, tenantId.ToString(), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = http.Request.IsHttps,
                IsEssential = true,
            });
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "~/");
        }).RequireAuthorization();

        return app;
    }

    public static Guid? PreferredTenant(this HttpContext http) =>
        Guid.TryParse(http.Request.Cookies[TenantCookie], out var id) ? id : null;

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");
}
