using System.Globalization;

namespace Portal.MailSink;

/// <summary>The command line: where to listen (always loopback) and where to keep what arrives.</summary>
public sealed record MailSinkOptions(string Folder, int SmtpPort, int? HttpPort, int? ExitWithPid)
{
    /// <summary>The line on standard output that names the SMTP address, for whoever started the sink.</summary>
    public const string SmtpLinePrefix = "SMTP listening on ";

    /// <summary>The line on standard output that names the listing's address, when there is one.</summary>
    public const string HttpLinePrefix = "Mail listed at ";

    public const string Usage =
        "usage: Portal.MailSink --folder PATH [--smtp-port N (0 = any free port, default 2525)] [--http-port N] [--exit-with-pid PID]";

    public static MailSinkOptions Parse(IReadOnlyList<string> args)
    {
        string? folder = null;
        var smtpPort = 2525;
        int? httpPort = null;
        int? exitWithPid = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--folder":
                    folder = value;
                    break;
                case "--smtp-port":
                    smtpPort = Port(args[i], value);
                    break;
                case "--http-port":
                    httpPort = Port(args[i], value);
                    break;
                case "--exit-with-pid":
                    exitWithPid = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
                        ? pid
                        : throw new ArgumentException("--exit-with-pid must be a process id.");
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }

            i++;
        }

        return new MailSinkOptions(
            string.IsNullOrWhiteSpace(folder) ? throw new ArgumentException("--folder is required.") : folder,
            smtpPort, httpPort, exitWithPid);
    }

    private static int Port(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
            ? port
            : throw new ArgumentException($"{name} must be a port number (0 for any free port).");
}
