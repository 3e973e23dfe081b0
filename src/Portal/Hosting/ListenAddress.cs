namespace Portal.Hosting;

/// <summary>
/// Where the portal listens. 5080 is a default, not a setting: a Kestrel endpoint in appsettings.json would win over
/// <c>--urls</c> and <c>ASPNETCORE_URLS</c>, so the default is applied in code and only when nothing else was given.
/// </summary>
public static class ListenAddress
{
    public const string Default = "http://localhost:5080";

    /// <summary>
    /// Whether an address was chosen: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), <c>http_ports</c> or
    /// <c>https_ports</c> (<c>ASPNETCORE_HTTP_PORTS</c>, which .NET container images set), or a Kestrel endpoint.
    /// </summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey])
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();

    /// <summary>Listens on <see cref="Default"/> when no address was configured.</summary>
    public static WebApplicationBuilder UseDefaultListenAddress(this WebApplicationBuilder builder)
    {
        if (!IsConfigured(builder.Configuration))
        {
            builder.WebHost.UseUrls(Default);
        }

        return builder;
    }
}
