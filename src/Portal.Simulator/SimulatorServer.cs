using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Portal.Simulator.Api;
using Portal.Simulator.Configuration;
using Portal.Simulator.Engine;
using Portal.Simulator.Metrics;

namespace Portal.Simulator;

/// <summary>
/// A running simulator: an OpenAI-compatible, vLLM-like HTTP server on Kestrel. Tests start it in-process;
/// the portal can also run the executable with the same knobs as command-line flags.
/// </summary>
public sealed class SimulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopLog = new();
    private Task _engineLog = Task.CompletedTask;
    private int _disposed;

    private SimulatorServer(WebApplication app, Uri baseUri, SimulatorOptions options)
    {
        _app = app;
        BaseUri = baseUri;
        Options = options;
    }

    /// <summary>The server root, e.g. <c>http://127.0.0.1:41234/</c>; the OpenAI API lives under <c>v1/</c>.</summary>
    public Uri BaseUri { get; }

    public SimulatorOptions Options { get; }

    /// <summary>Binds Kestrel to <see cref="SimulatorOptions.Host"/>:<see cref="SimulatorOptions.Port"/> (0 = a free port) and starts serving.</summary>
    /// <param name="engineLog">Where the engine-like output goes (the process writes it to stdout); null = nowhere.</param>
    public static async Task<SimulatorServer> StartAsync(
        SimulatorOptions options, CancellationToken cancellationToken = default, TextWriter? engineLog = null)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SimulatorServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        // Every knob comes from the options; an appsettings.json that happens to sit beside the binaries (the portal's,
        // when the portal launches replicas from its own folder) must not move the listen address.
        builder.Configuration.Sources.Clear();
        builder.AddSimulator(options);
        builder.Services.AddSingleton(new EngineLog(engineLog ?? TextWriter.Null, options));
        var app = builder.Build();
        ApiKeyCheck.Use(app, options.ApiKey);
        app.MapSimulatorEndpoints();
        await app.StartAsync(cancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        var server = new SimulatorServer(app, new Uri(address.TrimEnd('/') + "/"), options);
        if (engineLog is not null)
        {
            server._engineLog = app.Services.GetRequiredService<EngineLog>().RunAsync(
                app.Services.GetRequiredService<InferenceEngine>(), app.Services.GetRequiredService<SimulatorMetrics>(), server.BaseUri, server._stopLog.Token);
        }

        return server;
    }

    /// <summary>Completes when the host stops (Ctrl+C or SIGTERM when run as a process).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) =>
        _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // Safe to call twice, as stopping the host is.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _stopLog.CancelAsync();
            await _engineLog;
            _stopLog.Dispose();
            await _app.Services.GetRequiredService<EngineLog>().CompleteAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class SimulatorHostingExtensions
{
    public static void AddSimulator(this WebApplicationBuilder builder, SimulatorOptions options)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(console => console.SingleLine = true);
        builder.Logging.SetMinimumLevel(options.LogLevel);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MaxConcurrentUpgradedConnections = null;
            // A cold start holds a response silent for a minute; Kestrel must not take that for a slow client.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<InferenceEngine>();
        builder.Services.AddSingleton<SimulatorMetrics>();
        builder.Services.AddSingleton<ArrivalJournal>();
        builder.Services.AddSingleton<CompletionHandler>();
        builder.Services.AddSingleton<EmbeddingHandler>();
    }
}
