using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Portal.Hosting;

public static class TelemetrySetup
{
    /// <summary>Every activity source and meter of ours starts with this prefix.</summary>
    public const string SourcePrefix = "Portal";

    public static IHostApplicationBuilder AddPortalTelemetry(this IHostApplicationBuilder builder)
    {
        // OTLP export is on when an endpoint is configured, by the standard variable or by configuration. Without one
        // nothing would leave the process, so no provider is registered: a span per request and per upstream call and the
        // aggregation of every metric cost the data plane CPU on each request (measured: see docs/gateway.md#performance).
        var endpoint = builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? builder.Configuration["OpenTelemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return builder;
        }

        var serviceName = builder.Configuration["OpenTelemetry:ServiceName"] ?? "portal";
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var protocol = (builder.Configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? builder.Configuration["OpenTelemetry:OtlpProtocol"]) switch
        {
            "http/protobuf" => OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf,
            _ => OpenTelemetry.Exporter.OtlpExportProtocol.Grpc,
        };
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(SourcePrefix + ".*")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(SourcePrefix + ".*")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentationIfAvailable())
            .UseOtlpExporter(protocol, new Uri(endpoint));
        return builder;
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfAvailable(this MeterProviderBuilder metrics) =>
        metrics.AddMeter("System.Runtime");
}
