using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Portal.Tests.Database;

namespace Portal.Tests.Support;

/// <summary>
/// The portal as an operator runs it: <c>dotnet Portal.dll</c> from the portal's build output, in its own process, on a
/// fresh temporary data folder (as in Development, without the first-run demo). Disposing kills the process.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private PortalProcess(Process process, string dataDirectory)
    {
        _process = process;
        DataDirectory = dataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public IReadOnlyCollection<string> Output => _output;

    /// <summary>The addresses Kestrel reported ("Now listening on: …").</summary>
    public IReadOnlyList<string> ListeningOn =>
        _output.Select(line => line.Trim())
            .Where(line => line.StartsWith("Now listening on: ", StringComparison.Ordinal))
            .Select(line => line["Now listening on: ".Length..])
            .ToList();

    /// <summary>Starts the built portal with extra command-line arguments and environment variables.</summary>
    public static PortalProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var portalDll = BuiltPortalDll();
        Assert.True(File.Exists(portalDll), $"The portal is not built at {portalDll}; build src/Portal in the tests' configuration.");

        var dataDirectory = Path.Combine(Path.GetTempPath(), "portal-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Relative paths in appsettings.json land in the temporary folder, never in the repository.
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(portalDll);
        foreach (var (key, value) in new Dictionary<string, string>
        {
            ["ConnectionStrings:Portal"] = $"Data Source={Path.Combine(dataDirectory, "portal.db")}",
            ["ConnectionStrings:Hangfire"] = Path.Combine(dataDirectory, "hangfire.db"),
            ["Audit:SigningKeyPath"] = Path.Combine(dataDirectory, "audit-signing-key.pem"),
            ["Runtimes:Local:StateDirectory"] = Path.Combine(dataDirectory, "replicas"),
            ["Demo:Enabled"] = "false",
            ["Demo:StateDirectory"] = Path.Combine(dataDirectory, "demo"),
            ["RateLimits:SignInPerMinute"] = "100000",
            ["RateLimits:TokenPerMinute"] = "100000",
        })
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // Addresses the test runner itself may have been given must not leak into the portal under test.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment.Remove("ASPNETCORE_HTTPS_PORTS");
        start.Environment.Remove("DOTNET_URLS");
        start.Environment["PORTAL_SIMULATOR_EXIT_WITH_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        var portal = new PortalProcess(process, dataDirectory);
        process.OutputDataReceived += (_, e) => portal.Record(e.Data);
        process.ErrorDataReceived += (_, e) => portal.Record(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return portal;
    }

    /// <summary>A loopback port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Polls <paramref name="liveUrl"/> until it answers (a migrating, seeding start takes a while) or the process exits;
    /// returns the last status, or null when nothing answered.
    /// </summary>
    public async Task<HttpStatusCode?> WaitUntilAnsweringAsync(Uri liveUrl, TimeSpan limit)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync(liveUrl);
                return response.StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(250);
            }
            catch (TaskCanceledException)
            {
                await Task.Delay(250);
            }
        }

        return null;
    }

    /// <summary>Waits until a line matching <paramref name="match"/> was written; false when the limit passed first.</summary>
    public async Task<bool> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!_output.Any(match))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(100);
        }

        return true;
    }

    public string Describe() => $"exited: {_process.HasExited}; output:{Environment.NewLine}{string.Join(Environment.NewLine, _output)}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held by the exiting process; the temp folder is cleaned by the OS.
            }
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>src/Portal's own build output, in the configuration and framework these tests were built with.</summary>
    private static string BuiltPortalDll()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        return Path.Combine(MigrationScriptTests.RepositoryRoot(), "src", "Portal", "bin", configuration, framework, "Portal.dll");
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
