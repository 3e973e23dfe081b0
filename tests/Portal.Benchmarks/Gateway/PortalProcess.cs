using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Portal.Benchmarks.Gateway;

/// <summary>
/// The shipped portal, <c>dotnet Portal.dll</c> from its build output, as its own process on a loopback port with its
/// data in <see cref="DataDirectory"/>. Started in Development (migrated and seeded at start, so the seeded automation
/// client can use the management API) with the demo off; every other setting is the shipped default.
/// </summary>
internal sealed class PortalProcess : IAsyncDisposable
{
    /// <summary>What a log message starts with to be kept in <see cref="PageCostLines"/> (the Observability page's Debug timings).</summary>
    public const string PageCostMarker = "page cost:";

    /// <summary>What the console's warm-up after start logs (kept with the page timings).</summary>
    public const string WarmUpMarker = "Console warm-up";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _pageCost;

    private PortalProcess(Process process, Uri baseUri, string role, ConcurrentQueue<string> pageCost)
    {
        _process = process;
        BaseUri = baseUri;
        Role = role;
        _pageCost = pageCost;
    }

    /// <summary>The process's log lines carrying <see cref="PageCostMarker"/> or <see cref="WarmUpMarker"/>, oldest first, since it started.</summary>
    public IReadOnlyList<string> PageCostLines => [.. _pageCost];

    public Uri BaseUri { get; }

    public string Role { get; }

    public int ProcessId => _process.Id;

    public TimeSpan Cpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the portal (on <paramref name="port"/>, else a free one) and waits until <c>/health/ready</c> answers 200.</summary>
    public static async Task<PortalProcess> StartAsync(string portalDirectory, string dataDirectory, string role, IEnumerable<string> extraArguments,
        int? port = null)
    {
        port ??= FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = portalDirectory,
        };
        start.ArgumentList.Add(Path.Combine(portalDirectory, "Portal.dll"));
        foreach (var argument in new[]
        {
            $"--urls=http://127.0.0.1:{port}",
            $"--ConnectionStrings:Portal=Data Source={Path.Combine(dataDirectory, "portal.db")}",
            $"--ConnectionStrings:Hangfire={Path.Combine(dataDirectory, "hangfire.db")}",
            $"--Audit:SigningKeyPath={Path.Combine(dataDirectory, "audit-signing-key.pem")}",
            $"--Runtimes:Local:StateDirectory={Path.Combine(dataDirectory, "replicas")}",
            "--Demo:Enabled=false",
            $"--Portal:Role={role}",
        }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        var process = Process.Start(start)!;
        // Drain its console so a chatty process never blocks on a full pipe; keep the tail for a failed start.
        var tail = new Queue<string>();
        var pageCost = new ConcurrentQueue<string>();
        void Keep(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (line.Contains(PageCostMarker, StringComparison.Ordinal) || line.Contains(WarmUpMarker, StringComparison.Ordinal))
            {
                pageCost.Enqueue(line.Trim());
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 40)
                {
                    tail.Dequeue();
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var baseUri = new Uri($"http://127.0.0.1:{port}/");
        using var probe = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                if ((await probe.GetAsync("health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return new PortalProcess(process, baseUri, role, pageCost);
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        lock (tail)
        {
            throw new InvalidOperationException($"The portal ({role}) did not become ready:\n{string.Join('\n', tail)}");
        }
    }

    /// <summary>A graceful stop, as a service manager does it (SIGTERM): the sample writer drains its queue first.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The portal ({Role}) did not stop within 60 s of SIGTERM.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
