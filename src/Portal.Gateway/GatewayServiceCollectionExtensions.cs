using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Gateway.Forwarding;
using Portal.Gateway.Handling;
using Portal.Gateway.Limits;
using Portal.Gateway.Outbound;
using Portal.Gateway.Routing;
using Portal.Gateway.Samples;
using Portal.Gateway.Shadow;
using Portal.Gateway.Telemetry;

namespace Portal.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway with options from the <c>Gateway</c> configuration section. The host also registers
    /// <see cref="Seams.IGatewayDirectory"/>, <see cref="Seams.IReplicaStateProvider"/> and <see cref="Seams.ISampleSink"/>.
    /// </summary>
    public static IHostApplicationBuilder AddPortalGateway(this IHostApplicationBuilder builder, Action<GatewayOptions>? configure = null)
    {
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.SectionName));
        builder.Services.Configure<OutboundOptions>(builder.Configuration.GetSection(OutboundOptions.SectionName));
        builder.Services.AddPortalGateway(configure);
        return builder;
    }

    /// <inheritdoc cref="AddPortalGateway(IHostApplicationBuilder, Action{GatewayOptions}?)"/>
    public static IServiceCollection AddPortalGateway(this IServiceCollection services, Action<GatewayOptions>? configure = null)
    {
        var options = services.AddOptions<GatewayOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();

        services.AddOptions<OutboundOptions>().Validate(o =>
        {
            _ = o.ParseAllow();
            return o.ConnectTimeout > TimeSpan.Zero && o.MaxResponseBytes > 0;
        }, "Outbound settings are not valid (connect timeout, response size).").ValidateOnStart();
        services.AddHttpForwarder();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GatewayTelemetry>();
        services.TryAddSingleton<GatewayCounters>();
        services.TryAddSingleton<SampleQueue>();
        services.TryAddSingleton<IOutboundResolver, DnsOutboundResolver>();
        services.TryAddSingleton<OutboundGuard>();
        services.AddHostedService<OwnEndpoints>();
        services.TryAddSingleton<UpstreamInvoker>();
        services.TryAddSingleton<ReplicaLoads>();
        services.TryAddSingleton(sp => new GatewayLoad(sp.GetRequiredService<ReplicaLoads>()));
        services.TryAddSingleton<UpstreamRouter>();
        services.TryAddSingleton<KeyLimiter>();
        services.TryAddSingleton<UpstreamForwarder>();
        services.TryAddSingleton<ShadowCopier>();
        services.TryAddSingleton<GatewayHandler>();
        services.AddHostedService<SampleWriter>();
        return services;
    }
}
