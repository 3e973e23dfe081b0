using Portal.Platform;

namespace Portal.Hosting;

public static class PlatformHosting
{
    /// <summary>The platform operators' side: the first start's setup link, tenant management, tenant exports, each tenant's first admin, and ending a person's sessions.</summary>
    public static IHostApplicationBuilder AddPortalPlatform(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<OperatorSetup>();
        builder.Services.AddScoped<TenantAdministration>();
        builder.Services.AddScoped<TenantExport>();
        builder.Services.AddScoped<AdminInvitations>();
        builder.Services.AddScoped<AccountSessions>();
        builder.Services.AddHostedService<FirstStart>();
        return builder;
    }
}
