using Portal.Email;

namespace Portal.Hosting;

public static class EmailSetup
{
    public static IHostApplicationBuilder AddPortalEmail(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(EmailOptions.SectionName);
        builder.Services.Configure<EmailOptions>(section);
        builder.Services.AddSingleton<DevelopmentMailSink>();
        if (!builder.Environment.IsHardened() && section.GetValue<bool>("DevelopmentSink:Enabled"))
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<DevelopmentMailSink>());
        }

        builder.Services.AddSingleton<EmailSender>();
        builder.Services.AddSingleton<EmailTemplates>();
        builder.Services.AddSingleton<PortalLinks>();
        return builder;
    }
}
