using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Validation.AspNetCore;
using Portal.Core.Accounts;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using Portal.Identity.Connect;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Hosting;

public static class IdentitySetup
{
    /// <summary>Chooses bearer tokens when the request carries one, the portal's cookie otherwise.</summary>
    public const string CookieOrBearer = "CookieOrBearer";

    public static IHostApplicationBuilder AddPortalIdentity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var identity = builder.Configuration.GetSection("Identity");

        services.AddIdentityCore<PortalUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = identity.GetValue("MaxFailedAccessAttempts", 5);
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(identity.GetValue("LockoutMinutes", 15));
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                options.ClaimsIdentity.UserNameClaimType = Claims.Name;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddSignInManager<PortalSignInManager>()
            .AddDefaultTokenProviders();

        // Reset, confirmation and change-of-email links; 0 makes every link expired on arrival (a test's way to see expiry).
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromMinutes(identity.GetValue("EmailLinkMinutes", 120)));

        var revalidation = TimeSpan.FromSeconds(identity.GetValue("SessionRevalidationSeconds", 30));
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = revalidation);

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieOrBearer;
                options.DefaultChallengeScheme = CookieOrBearer;
                options.DefaultSignInScheme = IdentityConstants.ApplicationScheme;
            })
            .AddPolicyScheme(CookieOrBearer, "Cookie or bearer token", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                        ? OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme
                        : IdentityConstants.ApplicationScheme)
            .AddIdentityCookies(cookies => cookies.ApplicationCookie?.Configure(ConfigureCookie));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(null)
            .AddPolicy(PortalPolicies.Support, p => p.RequireAuthenticatedUser().RequireClaim(PortalClaims.Support, "true"));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddScoped<CallerResolver>();
        services.AddScoped<IUserClaimsPrincipalFactory<PortalUser>, PortalClaimsPrincipalFactory>();
        services.AddScoped<SessionTerminator>();
        services.AddScoped<SignInService>();
        // Wrong passwords counted per account and client address; the account itself only after many across addresses.
        services.AddSingleton(new FailedSignIns(
            perAddressLimit: identity.GetValue("MaxFailedAccessAttempts", 5),
            perAccountLimit: identity.GetValue("AccountLockoutFailures", 50),
            window: TimeSpan.FromMinutes(identity.GetValue("LockoutMinutes", 15))));
        services.AddScoped<TwoFactorService>();
        services.AddScoped<AccountService>();

        AddOpenIddict(builder);
        services.AddHostedService<CliClientRegistration>();
        return builder;
    }

    private static void ConfigureCookie(CookieAuthenticationOptions options)
    {
        options.LoginPath = "/account/login";
        options.LogoutPath = "/account/logout";
        options.AccessDeniedPath = "/forbidden";
        options.Cookie.Name = "portal.session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
        // The API answers with status codes, never with a redirect to the sign-in page.
        options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, StatusCodes.Status403Forbidden);
    }

    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    private static void AddOpenIddict(IHostApplicationBuilder builder)
    {
        var config = builder.Configuration.GetSection("OpenIddict");
        builder.Services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<PortalDbContext>().ReplaceDefaultEntities<Guid>())
            .AddServer(options =>
            {
                options.SetAuthorizationEndpointUris(ConnectEndpoints.Authorize)
                    .SetTokenEndpointUris(ConnectEndpoints.Token)
                    .SetEndSessionEndpointUris(ConnectEndpoints.EndSession)
                    .SetUserInfoEndpointUris(ConnectEndpoints.UserInfo)
                    .SetRevocationEndpointUris(ConnectEndpoints.Revoke);
                options.AddPortalDeviceFlow();

                options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowClientCredentialsFlow()
                    .AllowRefreshTokenFlow();
                // Only S256: a "plain" challenge offers no protection against an intercepted code.
                options.Configure(o => o.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, PortalScopes.Api);
                options.SetAccessTokenLifetime(TimeSpan.FromMinutes(config.GetValue("AccessTokenLifetimeMinutes", 30)));

                // A configured issuer: tokens and the discovery document never follow a request's Host header.
                if (config["Issuer"] is { Length: > 0 } issuer)
                {
                    options.SetIssuer(Uri.TryCreate(issuer, UriKind.Absolute, out var uri) ? uri
                        : throw new InvalidOperationException($"OpenIddict:Issuer is '{issuer}', which is not an absolute URL like https://portal.example.com/."));
                }

                if (builder.Environment.IsHardened())
                {
                    options.AddSigningCertificate(LoadCertificate(config.GetSection("SigningCertificate"), "signing"));
                    options.AddEncryptionCertificate(LoadCertificate(config.GetSection("EncryptionCertificate"), "encryption"));
                }
                else
                {
                    options.AddDevelopmentSigningCertificate().AddDevelopmentEncryptionCertificate();
                }

                var aspNetCore = options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndUserVerificationEndpointPassthrough();
                if (!builder.Environment.IsHardened())
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            })
            .AddValidation(options =>
            {
                options.UseLocalServer();
                options.UseAspNetCore();
                // Look the token up on every request so a revoked token (disabled member, sign-out) stops at once.
                options.EnableTokenEntryValidation();
                options.EnableAuthorizationEntryValidation();
            });
    }

    private static X509Certificate2 LoadCertificate(IConfigurationSection section, string purpose)
    {
        var path = section["Path"];
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            throw new InvalidOperationException(
                $"OpenIddict:{section.Key}:Path must name a PFX file with the {purpose} certificate outside Development.");
        }

        return X509CertificateLoader.LoadPkcs12FromFile(path, section["Password"], X509KeyStorageFlags.EphemeralKeySet);
    }

    public static WebApplication MapPortalIdentity(this WebApplication app)
    {
        app.MapConnectEndpoints();
        app.MapDeviceVerification();
        app.MapAccountEndpoints();
        return app;
    }
}
