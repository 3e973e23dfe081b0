using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Portal.Core.Tenancy;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Hosting;

/// <summary>
/// Development only: a demo tenant with one person per role and an automation client, from the "Seed" section of
/// appsettings.Development.json. Safe to run on every start.
/// </summary>
public static class DevelopmentSeeder
{
    public sealed class SeedUser
    {
        public string Email { get; set; } = "";
        public string Name { get; set; } = "";
        public string? Role { get; set; }
        public bool Support { get; set; }
        public bool Operator { get; set; }
        public bool AlsoInSecondTenant { get; set; }
    }

    public static async Task SeedAsync(IServiceProvider services, IConfiguration configuration, ILogger logger)
    {
        var environment = services.GetRequiredService<IHostEnvironment>();
        var seed = configuration.GetSection("Seed");
        // Only Development seeds: staging, production and any other environment start empty and hand over through /setup.
        if (!environment.IsDevelopment() || !seed.GetValue<bool>("Enabled"))
        {
            return;
        }

        var db = services.GetRequiredService<PortalDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var tenant = await EnsureTenantAsync(db, seed["TenantName"]!, seed["TenantSlug"]!, clock);
        var second = seed["SecondTenantName"] is { } secondName
            ? await EnsureTenantAsync(db, secondName, seed["SecondTenantSlug"]!, clock)
            : null;

        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var password = seed["Password"] ?? throw new InvalidOperationException("Seed:Password is not set.");
        foreach (var entry in seed.GetSection("Users").Get<List<SeedUser>>() ?? [])
        {
            var user = await users.FindByEmailAsync(entry.Email);
            if (user is null)
            {
                user = new PortalUser { UserName = entry.Email, Email = entry.Email, EmailConfirmed = true, DisplayName = entry.Name, IsSupport = entry.Support, IsOperator = entry.Operator };
                var created = await users.CreateAsync(user, password);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Cannot seed {entry.Email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
                }
            }

            if (PortalRoles.TryParse(entry.Role, out var role))
            {
                await EnsureMembershipAsync(db, tenant.Id, user.Id, role, clock);
                if (entry.AlsoInSecondTenant && second is not null)
                {
                    await EnsureMembershipAsync(db, second.Id, user.Id, role, clock);
                }
            }
        }

        var client = seed.GetSection("Client");
        if (client["ClientId"] is { } clientId && PortalRoles.TryParse(client["Role"], out var clientRole))
        {
            await EnsureClientAsync(services, db, clientId, client["ClientSecret"]!, tenant.Id, clientRole, clock);
        }

        var seededUsers = string.Join(", ", (seed.GetSection("Users").Get<List<SeedUser>>() ?? []).Select(u => $"{u.Email} ({u.Role ?? (u.Operator ? "Operator" : "Support")})"));
        var server = services.GetRequiredService<IServer>();
        // The address is known once the server listens (--urls, ASPNETCORE_URLS, a Kestrel endpoint or the default).
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStarted.Register(() => logger.LogInformation(
            "Development data ready. Sign in at {Url}/account/login as {Users} (password: Seed:Password in appsettings.Development.json); " +
            "automation client {ClientId} (secret: Seed:Client:ClientSecret).",
            server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? ListenAddress.Default, seededUsers, client["ClientId"]));
    }

    private static async Task<Tenant> EnsureTenantAsync(PortalDbContext db, string name, string slug, TimeProvider clock)
    {
        var tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Slug == slug);
        if (tenant is null)
        {
            tenant = new Tenant { Name = name, Slug = slug, CreatedAt = clock.GetUtcNow() };
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync();
        }

        return tenant;
    }

    private static async Task EnsureMembershipAsync(PortalDbContext db, Guid tenantId, Guid userId, TenantRole role, TimeProvider clock)
    {
        if (!await db.Memberships.AnyAsync(m => m.TenantId == tenantId && m.UserId == userId))
        {
            db.Memberships.Add(new TenantMembership { TenantId = tenantId, UserId = userId, Role = role, CreatedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
    }

    private static async Task EnsureClientAsync(
        IServiceProvider services, PortalDbContext db, string clientId, string secret, Guid tenantId, TenantRole role, TimeProvider clock)
    {
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        if (await applications.FindByClientIdAsync(clientId) is null)
        {
            await applications.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = clientId,
                ClientSecret = secret,
                ClientType = ClientTypes.Confidential,
                DisplayName = "Demo automation",
                Permissions =
                {
                    Permissions.Endpoints.Token,
                    Permissions.Endpoints.Revocation,
                    Permissions.GrantTypes.ClientCredentials,
                    Permissions.Prefixes.Scope + PortalScopes.Api,
                },
            });
        }

        if (!await db.ApiClients.AnyAsync(c => c.ClientId == clientId))
        {
            db.ApiClients.Add(new ApiClient { ClientId = clientId, TenantId = tenantId, Role = role, DisplayName = "Demo automation", CreatedAt = clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
    }
}
