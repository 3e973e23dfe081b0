namespace Portal.Demo;

public static class DemoHostingExtensions
{
    /// <summary>The first-run demo: on only when <c>Demo:Enabled</c> and never in Production.</summary>
    public static IHostApplicationBuilder AddPortalDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.SectionName));
        builder.Services.AddSingleton<DemoResources>();
        builder.Services.AddSingleton<DemoTraffic>();
        builder.Services.AddScoped<DemoControl>();
        if (!builder.Environment.IsProduction() && builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:Enabled"))
        {
            builder.Services.AddHostedService<DemoRunner>();
        }

        return builder;
    }
}
