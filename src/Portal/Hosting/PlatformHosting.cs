using Portal.Platform;

namespace Portal.Hosting;

public static class PlatformHosting
{
    /// <summary>The platform operators' side: the first start's setup link, tenant management and tenant exports.</summary>
    public static IHostApplicationBuilder AddPortalPlatform(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<OperatorSetup>();
        builder.Services.AddScoped<TenantAdministration>();
        builder.Services.AddScoped<TenantExport>();
        builder.Services.AddHostedService<FirstStart>();
        return builder;
    }
}
