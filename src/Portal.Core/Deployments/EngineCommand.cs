using System.Text;

namespace Portal.Core.Deployments;

/// <summary>A process to run: executable, arguments (unquoted, one per item) and extra environment variables.</summary>
public sealed record EngineCommand(string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>The same command with the value of <c>--api-key</c> replaced, fit to show, log or store in plain text.</summary>
    public EngineCommand Redacted()
    {
        var arguments = Arguments.ToArray();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (arguments[i] == ReplicaSecret.Flag && i + 1 < arguments.Length)
            {
                arguments[++i] = ReplicaSecret.Redacted;
            }
            else if (arguments[i].StartsWith(ReplicaSecret.Flag + "=", StringComparison.Ordinal))
            {
                arguments[i] = ReplicaSecret.Flag + "=" + ReplicaSecret.Redacted;
            }
        }

        return this with { Arguments = arguments };
    }

    /// <summary>A POSIX shell rendering, one flag per line, for people to read and copy; an API key shows redacted.</summary>
    public string ToShellString()
    {
        var arguments = Redacted().Arguments;
        var builder = new StringBuilder();
        foreach (var (name, value) in Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            builder.Append(name).Append('=').Append(Quote(value)).Append(' ');
        }

        builder.Append(Quote(Executable));
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var startsFlag = argument.StartsWith("--", StringComparison.Ordinal);
            builder.Append(startsFlag ? " \\\n  " : " ").Append(Quote(argument));
        }

        return builder.ToString();
    }

    public override string ToString() => ToShellString();

    internal static string Quote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
