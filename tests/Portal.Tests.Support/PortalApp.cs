using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Gateway.Outbound;
using Portal.Runtimes;

namespace Portal.Tests.Support;

/// <summary>
/// The real portal on Kestrel at a free loopback port, with its own SQLite files in a fresh temporary folder,
/// started as in Development (migrated and seeded at start), or as in Production (<see cref="InProduction"/>).
/// </summary>
public sealed class PortalApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Portal-demo-2026!";
    public const string ClientId = "demo-automation";
    public const string ClientSecret = "demo-automation-secret-2026";

    private readonly Dictionary<string, string?> _settings = new();
    private readonly OutboundAllowSource _outboundAllow = new();
    private IOutboundResolver? _resolver;
    private string _environment = "Development";
    private Action<IServiceCollection>? _services;
    private TimeProvider? _clock;

    static PortalApp()
    {
        // Simulator processes (replicas, the demo's serverless target) inherit this and exit with the test run, even one
        // killed before it could stop them.
        Environment.SetEnvironmentVariable("PORTAL_SIMULATOR_EXIT_WITH_PID", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public PortalApp()
        : this(Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n")))
    {
    }

    /// <summary>A portal on an existing data folder: what a restart of the same instance sees.</summary>
    public static PortalApp OnExistingData(string dataDirectory) => new(dataDirectory);

    private PortalApp(string dataDirectory)
    {
        DataDirectory = dataDirectory;
        Directory.CreateDirectory(DataDirectory);
        _settings["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(DataDirectory, "portal.db")}";
        _settings["ConnectionStrings:Hangfire"] = Path.Combine(DataDirectory, "hangfire.db");
        _settings["urls"] = "http://127.0.0.1:0";
        _settings["Identity:SessionRevalidationSeconds"] = "2";
        _settings["Audit:SigningKeyPath"] = Path.Combine(DataDirectory, "audit-signing-key.pem");
        _settings["Audit:ArchiveDirectory"] = Path.Combine(DataDirectory, "audit-archive");
        _settings["Runtimes:Local:StateDirectory"] = Path.Combine(DataDirectory, "replicas");
        _settings["Runtimes:Local:SimulatorWeightLoadSeconds"] = "1";
        // The first-run demo is on in Development; tests that want it turn it on (other tests must not see its traffic).
        _settings["Demo:Enabled"] = "false";
        // The console's warm-up after start reads in the background; the tests that want it turn it on.
        _settings["Observability:WarmUpOnStart"] = "false";
        // Tests register serverless targets that must never answer at the discard port of loopback, where nothing
        // listens; the operator allow-list lets exactly that through. Each test adds the upstreams it starts.
        _settings["Outbound:Allow:0"] = "127.0.0.1:9";
        // Mail goes to this portal's own sink (started with it), never to the Development sink's.
        _settings["Email:DevelopmentSink:Enabled"] = "false";
        _settings["Email:Host"] = "127.0.0.1";
        _settings["Email:Security"] = "None";
        // Every test client comes from 127.0.0.1: the per-address limits would throttle a busy test class. The tests of
        // the limits set them back.
        _settings["RateLimits:SignInPerMinute"] = "100000";
        _settings["RateLimits:TokenPerMinute"] = "100000";
        UseKestrel(_ => { });
    }

    public string DataDirectory { get; }

    /// <summary>Everything this portal logged (Information and above).</summary>
    public PortalLog Log { get; } = new();

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>The SMTP server this portal sends its mail to; started with the portal.</summary>
    public MailSink Mail { get; private set; } = default!;

    /// <summary>Leave the data folder and the replica processes behind on dispose, as a crash would.</summary>
    public bool KeepOnDispose { get; set; }

    /// <summary>Overrides a setting before the app starts.</summary>
    public PortalApp With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>
    /// Adds exactly <paramref name="target"/>'s host and port to the portal's <c>Outbound:Allow</c> list (before or after
    /// start), the way an operator lets an internal serverless target or webhook receiver through.
    /// </summary>
    public PortalApp AllowOutbound(Uri target)
    {
        _outboundAllow.Add(target.Authority);
        return this;
    }

    /// <summary>Resolves host names of tenant-given URLs with <paramref name="resolver"/> instead of DNS; set before start.</summary>
    public PortalApp WithOutboundResolver(IOutboundResolver resolver)
    {
        _resolver = resolver;
        return this;
    }

    /// <summary>Adds to the portal's services before start: an observer a test attaches to this portal alone.</summary>
    public PortalApp WithServices(Action<IServiceCollection> configure)
    {
        _services += configure;
        return this;
    }

    /// <summary>
    /// The portal as production.md sets it up: the Production environment (no seed, no demo), OpenIddict's signing and
    /// encryption certificates and the audit signing key from files generated here (once per data folder). The schema is created by migrating
    /// at start, as <c>Database:MigrateOnStart</c> allows. Set before start.
    /// </summary>
    public PortalApp InProduction() => InEnvironment("Production").WithProductionKeys();

    /// <summary>Starts in this environment (hardened unless it is Development); nothing else is set.</summary>
    public PortalApp InEnvironment(string environment)
    {
        _environment = environment;
        return this;
    }

    /// <summary>OpenIddict's certificates and the audit signing key from files generated here, and migration at start.</summary>
    public PortalApp WithProductionKeys()
    {
        var keys = ProductionKeys.In(DataDirectory);
        return With("Database:MigrateOnStart", "true")
            .With("Audit:SigningKeyPath", keys.AuditKey)
            .With("OpenIddict:SigningCertificate:Path", keys.Signing)
            .With("OpenIddict:SigningCertificate:Password", ProductionKeys.Password)
            .With("OpenIddict:EncryptionCertificate:Path", keys.Encryption)
            .With("OpenIddict:EncryptionCertificate:Password", ProductionKeys.Password);
    }

    /// <summary>The portal's clock (its <see cref="TimeProvider"/>); set before start.</summary>
    public PortalApp WithClock(TimeProvider clock)
    {
        _clock = clock;
        return this;
    }

    /// <summary>
    /// The first-run demo with short timings: the serverless simulator at time scale 0.02 (idle timeout 6 s, cold start
    /// 1.2 s), a cold-start threshold of 0.8 s, busy stretches of 4 s and idle gaps of 8 s.
    /// </summary>
    public PortalApp WithDemo() => With("Demo:Enabled", "true")
        .With("Demo:StateDirectory", Path.Combine(DataDirectory, "demo"))
        .With("Demo:ServerlessTimeScale", "0.02")
        .With("Gateway:ColdStartThreshold", "00:00:00.8")
        .With("Demo:Traffic:BusySeconds", "4")
        .With("Demo:Traffic:IdleGapSeconds", "8")
        .With("Demo:Traffic:RequestsPerSecond", "4");

    /// <summary>The demo's serverless simulator outlives the portal like a replica; a test stops its own.</summary>
    public async Task StopDemoSimulatorAsync()
    {
        if (Services.GetRequiredService<Portal.Demo.DemoTraffic>().TenantId is { } tenantId)
        {
            await Services.GetRequiredService<Portal.Demo.DemoResources>().StopSimulatorAsync(tenantId);
        }
    }

    /// <summary>
    /// Portals are built one at a time. The test host finds the app's host through a process-wide diagnostic
    /// listener, so two portals built at once by parallel test classes could each receive the other's settings
    /// (its port, its data folder); this was seen as a test portal trying to bind the default port 5080.
    /// </summary>
    private static readonly Lock HostBuild = new();

    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        lock (HostBuild)
        {
            return base.CreateHost(builder);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        if (_environment != "Development")
        {
            // A test runs the portal from its build output, not from a published folder: Blazor's and MudBlazor's scripts
            // are found through the build's static web assets manifest, which only Development reads by itself.
            builder.UseStaticWebAssets();
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Log));
        // Host settings are visible to Program's own reads of builder.Configuration, unlike app configuration callbacks.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(configuration => configuration.Add(_outboundAllow));
        if (_resolver is { } resolver)
        {
            builder.ConfigureServices(services => services.AddSingleton(resolver));
        }

        if (_services is { } configure)
        {
            builder.ConfigureServices(configure);
        }

        if (_clock is { } clock)
        {
            builder.ConfigureServices(services => services.AddSingleton(clock));
        }
    }

    public async Task InitializeAsync()
    {
        Mail = await MailSink.StartAsync(Path.Combine(DataDirectory, "mail"));
        _settings["Email:Port"] = Mail.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1") + "/");
    }

    /// <summary>Replica processes outlive a portal by design (a restarted portal adopts them); a test stops its own.</summary>
    public async Task StopReplicasAsync()
    {
        var runtime = Services.GetRequiredService<IReplicaRuntime>();
        await using var scope = Services.CreateAsyncScope();
        List<Guid> ids;
        try
        {
            ids = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Deployments.Select(d => d.Id).ToListAsync();
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return; // No database, no deployments (a test of a portal that cannot reach its database).
        }

        foreach (var id in ids)
        {
            foreach (var handle in await runtime.ListReplicasAsync(id))
            {
                await runtime.StopReplicaAsync(handle);
            }
        }
    }

    private static async Task StopEveryRecordedProcessAsync(string dataDirectory)
    {
        foreach (var stateDirectory in new[] { Path.Combine(dataDirectory, "replicas"), Path.Combine(dataDirectory, "demo", "simulators") })
        {
            if (!Directory.Exists(stateDirectory))
            {
                continue;
            }

            using var runtime = new Portal.Runtimes.Local.LocalProcessRuntime(new Portal.Runtimes.Local.LocalRuntimeOptions { StateDirectory = stateDirectory });
            foreach (var folder in Directory.EnumerateDirectories(stateDirectory))
            {
                if (Guid.TryParseExact(Path.GetFileName(folder), "N", out var deploymentId))
                {
                    await runtime.RemoveDeploymentAsync(deploymentId);
                }
            }
        }
    }

    /// <summary>A plain HTTP client over the socket, with its own cookie jar and no automatic redirects.</summary>
    public HttpClient NewClient(bool followRedirects = false) =>
        new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = followRedirects, UseCookies = true })
        {
            BaseAddress = BaseAddress,
        };

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (Mail is not null)
        {
            await Mail.DisposeAsync();
        }

        if (KeepOnDispose)
        {
            await DisposeAsync();
            return;
        }

        await StopReplicasAsync();
        await StopDemoSimulatorAsync();
        await DisposeAsync();
        // The reconciler may have started a replica after the sweep above, or one may belong to a deployment already
        // deleted from the database: with the portal stopped, every process recorded under its data folder is stopped.
        await StopEveryRecordedProcessAsync(DataDirectory);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection; the temp folder is cleaned by the OS.
        }
    }
}
