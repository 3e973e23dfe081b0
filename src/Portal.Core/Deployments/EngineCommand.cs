using System.Text;

namespace Portal.Core.Deployments;

/// <summary>A process to run: executable, arguments (unquoted, one per item) and extra environment variables.</summary>
public sealed record EngineCommand(string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>A POSIX shell rendering, one flag per line, for people to read and copy.</summary>
    public string ToShellString()
    {
        var builder = new StringBuilder();
        foreach (var (name, value) in Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            builder.Append(name).Append('=').Append(Quote(value)).Append(' ');
        }

        builder.Append(Quote(Executable));
        for (var i = 0; i < Arguments.Count; i++)
        {
            var argument = Arguments[i];
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
