using Portal.Platform;

namespace Portal.Hosting;

public static class PlatformHosting
{
    /// <summary>The platform operators' side: the first start's setup link, tenant management, tenant exports and each tenant's first admin.</summary>
    public static IHostApplicationBuilder AddPortalPlatform(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<OperatorSetup>();
        builder.Services.AddScoped<TenantAdministration>();
        builder.Services.AddScoped<TenantExport>();
        builder.Services.AddScoped<AdminInvitations>();
        builder.Services.AddHostedService<FirstStart>();
        return builder;
    }
}
