using System.Diagnostics;
using System.Globalization;

namespace Portal.Email;

/// <summary>
/// Portal.MailSink as a child process: it listens on loopback only, stores what arrives as .eml files in a folder and
/// exits with its owner (it watches the owner's process id), so no sink outlives the portal or test that started it.
/// </summary>
public sealed class MailSinkProcess : IAsyncDisposable
{
    private const string SmtpPrefix = "SMTP listening on ";
    private const string HttpPrefix = "Mail listed at ";

    private readonly Process _process;

    private MailSinkProcess(Process process, string folder, int smtpPort, string? listing)
    {
        _process = process;
        Folder = folder;
        SmtpPort = smtpPort;
        Listing = listing;
    }

    public string Folder { get; }
    public int SmtpPort { get; }

    /// <summary>The address of the HTTP listing, when one was asked for.</summary>
    public string? Listing { get; }

    /// <param name="httpPort">Null = no HTTP listing; 0 = any free port.</param>
    public static async Task<MailSinkProcess> StartAsync(string folder, int smtpPort, int? httpPort, CancellationToken cancellationToken = default)
    {
        var sink = Path.Combine(AppContext.BaseDirectory, "Portal.MailSink.dll");
        if (!File.Exists(sink))
        {
            throw new FileNotFoundException($"The mail sink is not at {sink}.", sink);
        }

        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(sink);
        foreach (var argument in new[] { "--folder", folder, "--smtp-port", Invariant(smtpPort), "--exit-with-pid", Invariant(Environment.ProcessId) })
        {
            start.ArgumentList.Add(argument);
        }

        if (httpPort is { } port)
        {
            start.ArgumentList.Add("--http-port");
            start.ArgumentList.Add(Invariant(port));
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The mail sink did not start.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            int? smtp = null;
            string? listing = null;
            while (smtp is null || (httpPort is not null && listing is null))
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException($"The mail sink stopped: {await errors}");
                if (line.StartsWith(SmtpPrefix, StringComparison.Ordinal))
                {
                    smtp = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith(HttpPrefix, StringComparison.Ordinal))
                {
                    listing = line[HttpPrefix.Length..];
                }
            }

            // Nobody reads its output from here on; a full pipe must not block it.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            return new MailSinkProcess(process, folder, smtp.Value, listing);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.Dispose();
    }

    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : "dotnet";
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
