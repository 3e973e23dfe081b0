using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Portal.Core.Logs;

namespace Portal.Runtimes.Local;

/// <summary>
/// Reads a local replica's log file (<c>{replica}.log</c> beside its state file, and the <c>{replica}.log.1</c> a
/// rotation leaves). The file outlives the process, so a stopped or failed replica's output stays readable until
/// the deployment is removed. Following polls the file: when it shrinks (truncated, or rotated and started anew) the
/// reader starts again from its beginning.
/// </summary>
internal static partial class ReplicaLogFile
{
    private static readonly TimeSpan _pollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The log path of a replica id the runtime could have made; null for anything else (no path games).</summary>
    public static string? PathFor(string stateDirectory, Guid deploymentId, string replicaId) =>
        ReplicaIdPattern().IsMatch(replicaId)
            ? Path.Combine(ReplicaRecord.DirectoryFor(stateDirectory, deploymentId), replicaId + ".log")
            : null;

    public static IReadOnlyList<LogLine>? Read(string path, DateTimeOffset? since, DateTimeOffset now)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var text = new List<string>();
        var rotated = path + ".1";
        var current = Tail(path, IReplicaLogs.MaxReadBytes);
        if (current.Bytes < IReplicaLogs.MaxReadBytes && File.Exists(rotated))
        {
            text.AddRange(Tail(rotated, IReplicaLogs.MaxReadBytes - current.Bytes).Lines);
        }

        text.AddRange(current.Lines);
        return LogLineTime.Stamp(text, now).Where(l => since is null || l.Time is null || l.Time >= since).ToList();
    }

    public static async IAsyncEnumerable<LogLine> FollowAsync(string path, Func<DateTimeOffset> now, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long position = File.Exists(path) ? new FileInfo(path).Length : 0;
        var partial = new StringBuilder();
        DateTimeOffset? last = null;
        var directory = Path.GetDirectoryName(path)!;
        while (!cancellationToken.IsCancellationRequested && Directory.Exists(directory))
        {
            var lines = new List<string>();
            if (File.Exists(path))
            {
                await using var stream = Open(path);
                if (stream.Length < position)
                {
                    position = 0;
                    partial.Clear();
                }

                stream.Seek(position, SeekOrigin.Begin);
                var buffer = new byte[64 * 1024];
                int read;
                var decoder = Encoding.UTF8.GetDecoder();
                var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
                while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    position += read;
                    var count = decoder.GetChars(buffer, 0, read, chars, 0);
                    partial.Append(chars, 0, count);
                }

                var text = partial.ToString();
                var end = text.LastIndexOf('\n');
                if (end >= 0)
                {
                    lines.AddRange(text[..end].Split('\n').Select(l => l.TrimEnd('\r')));
                    partial.Clear().Append(text[(end + 1)..]);
                }
            }

            foreach (var line in LogLineTime.Stamp(lines, now(), last))
            {
                last = line.Time;
                yield return line;
            }

            try
            {
                await Task.Delay(_pollInterval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static (IReadOnlyList<string> Lines, int Bytes) Tail(string path, int maxBytes)
    {
        using var stream = Open(path);
        var start = Math.Max(0, stream.Length - maxBytes);
        stream.Seek(start, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        if (start > 0)
        {
            // The window begins inside a line: drop that piece.
            reader.ReadLine();
        }

        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return (lines, (int)(stream.Length - start));
    }

    // The engine writes while the portal reads; a rotation may rename or delete the file meanwhile.
    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReplicaIdPattern();
}
