using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Core.Logs;

/// <summary>
/// The time an engine wrote on a line, read from its start. Engines stamp lines in their own ways: ISO 8601 (Kubernetes
/// with <c>timestamps=true</c>, .NET, SGLang's <c>[2026-12-07 10:05:17]</c>), vLLM's <c>INFO 12-07 10:05:17</c> (no year),
/// TensorRT-LLM's <c>[12/07/2026-10:05:17]</c>. Times without a zone are taken as UTC (replicas run with TZ unset).
/// A line without a stamp (a traceback, a progress bar) has none; <see cref="Stamp"/> gives it its predecessor's.
/// </summary>
public static partial class LogLineTime
{
    /// <param name="line">The line as the engine wrote it.</param>
    /// <param name="reference">Now, or the time the log was read: supplies the year vLLM leaves out.</param>
    public static DateTimeOffset? Parse(string line, DateTimeOffset reference)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IsoPattern().Match(line) is { Success: true } iso)
        {
            var text = iso.Groups["time"].Value.Replace(' ', 'T');
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
                ? time
                : null;
        }

        if (TensorRtPattern().Match(line) is { Success: true } trt)
        {
            return Build(Int(trt, "year"), Int(trt, "month"), Int(trt, "day"), trt);
        }

        if (VllmPattern().Match(line) is { Success: true } vllm)
        {
            var year = reference.UtcDateTime.Year;
            var time = Build(year, Int(vllm, "month"), Int(vllm, "day"), vllm);
            // A December line read in January belongs to last year.
            return time > reference.AddDays(1) ? Build(year - 1, Int(vllm, "month"), Int(vllm, "day"), vllm) : time;
        }

        return null;
    }

    /// <summary>Each line with its own time, or the last time seen before it (null before the first stamp).</summary>
    public static IEnumerable<LogLine> Stamp(IEnumerable<string> lines, DateTimeOffset reference, DateTimeOffset? before = null)
    {
        var last = before;
        foreach (var line in lines)
        {
            last = Parse(line, reference) ?? last;
            yield return new LogLine(last, line);
        }
    }

    private static DateTimeOffset? Build(int year, int month, int day, Match match)
    {
        try
        {
            var fraction = match.Groups["fraction"].Success ? match.Groups["fraction"].Value.PadRight(7, '0')[..7] : "0";
            return new DateTimeOffset(year, month, day, Int(match, "hour"), Int(match, "minute"), Int(match, "second"), TimeSpan.Zero)
                .AddTicks(long.Parse(fraction, CultureInfo.InvariantCulture));
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^\[?(?<time>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)", RegexOptions.CultureInvariant)]
    private static partial Regex IsoPattern();

    [GeneratedRegex(@"^\[(?<month>\d{2})/(?<day>\d{2})/(?<year>\d{4})-(?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})\]", RegexOptions.CultureInvariant)]
    private static partial Regex TensorRtPattern();

    [GeneratedRegex(@"^(?:\(\w+ pid=\d+\) )?(?:DEBUG|INFO|WARNING|ERROR|CRITICAL) (?<month>\d{2})-(?<day>\d{2}) (?<hour>\d{2}):(?<minute>\d{2}):(?<second>\d{2})(?:\.(?<fraction>\d{1,7}))?",
        RegexOptions.CultureInvariant)]
    private static partial Regex VllmPattern();
}
