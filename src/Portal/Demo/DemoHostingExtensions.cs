using Portal.Runtimes.Local;

namespace Portal.Demo;

public static class DemoHostingExtensions
{
    /// <summary>The first-run demo: on only in Development with <c>Demo:Enabled</c>; never in Production or any other environment.</summary>
    public static IHostApplicationBuilder AddPortalDemo(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection(DemoOptions.SectionName));
        // The local runtime starts each replica in its own state folder and hands it the log path; a relative
        // Runtimes:Local:StateDirectory (appsettings.json has "data/replicas") would then point nowhere and the demo's
        // dedicated replica would never start. Resolve it against the portal's working directory once.
        builder.Services.PostConfigure<LocalRuntimeOptions>(o => o.StateDirectory = Path.GetFullPath(o.StateDirectory));
        builder.Services.AddSingleton<DemoResources>();
        builder.Services.AddSingleton<DemoTraffic>();
        builder.Services.AddScoped<DemoControl>();
        if (builder.Environment.IsDevelopment() && builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:Enabled"))
        {
            builder.Services.AddHostedService<DemoRunner>();
        }

        return builder;
    }
}
