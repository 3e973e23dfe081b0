using System.Globalization;

namespace Portal.Core.Metrics;

/// <summary>
/// An engine's own TTFT histogram read from its Prometheus text exposition: cumulative counts per upper bound in
/// seconds (the last bound is +Inf), summed over every label set (models, engines) of the family. vLLM calls the family
/// <c>vllm:time_to_first_token_seconds</c>, SGLang <c>sglang:time_to_first_token_seconds</c>.
/// </summary>
public sealed partial record ServerTtftHistogram(IReadOnlyList<double> UpperBounds, IReadOnlyList<double> Cumulative, double Count, double SumSeconds)
{
    /// <summary>The TTFT histogram families the parser recognises, first match wins.</summary>
    public static IReadOnlyList<string> FamilyNames { get; } = ["vllm:time_to_first_token_seconds", "sglang:time_to_first_token_seconds"];

    /// <summary>
    /// Reads the TTFT histogram from exposition text; null when the text has none. Comments, other families, blank
    /// lines, timestamps and malformed lines are skipped; label values may hold escaped quotes, commas and braces.
    /// </summary>
    public static ServerTtftHistogram? Parse(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        foreach (var family in FamilyNames)
        {
            var buckets = new SortedDictionary<double, double>();
            double count = 0, sum = 0;
            var seen = false;
            foreach (var raw in exposition.Split('\n'))
            {
                var line = raw.Trim();
                if (line.Length == 0 || line[0] == '#' || !line.StartsWith(family, StringComparison.Ordinal))
                {
                    continue;
                }

                if (!TrySplit(line, out var name, out var labels, out var value))
                {
                    continue;
                }

                if (name == family + "_bucket" && Label(labels, "le") is { } le && TryNumber(le, out var bound))
                {
                    buckets[bound] = buckets.GetValueOrDefault(bound) + value;
                    seen = true;
                }
                else if (name == family + "_count")
                {
                    count += value;
                    seen = true;
                }
                else if (name == family + "_sum")
                {
                    sum += value;
                }
            }

            if (seen && buckets.Count > 0)
            {
                if (!double.IsPositiveInfinity(buckets.Keys.Last()))
                {
                    buckets[double.PositiveInfinity] = Math.Max(count, buckets.Values.Last());
                }

                return new ServerTtftHistogram([.. buckets.Keys], [.. buckets.Values], count, sum);
            }
        }

        return null;
    }

    /// <summary>
    /// What happened between <paramref name="previous"/> and this scrape. A counter that went down (the engine
    /// restarted) or different bucket edges make this scrape the whole delta, as Prometheus' rate() does on a reset.
    /// </summary>
    public ServerTtftHistogram DeltaSince(ServerTtftHistogram? previous)
    {
        if (previous is null || !previous.UpperBounds.SequenceEqual(UpperBounds) || previous.Count > Count
            || Cumulative.Where((c, i) => c < previous.Cumulative[i]).Any())
        {
            return this;
        }

        return new ServerTtftHistogram(UpperBounds, [.. Cumulative.Select((c, i) => c - previous.Cumulative[i])], Count - previous.Count,
            Math.Max(0, SumSeconds - previous.SumSeconds));
    }

    /// <summary>Adds histograms with the same edges (deltas of several scrapes or replicas).</summary>
    public static ServerTtftHistogram? Merge(IEnumerable<ServerTtftHistogram> histograms)
    {
        ServerTtftHistogram? total = null;
        foreach (var h in histograms)
        {
            total = total is null ? h
                : total.UpperBounds.SequenceEqual(h.UpperBounds)
                    ? new ServerTtftHistogram(total.UpperBounds, [.. total.Cumulative.Select((c, i) => c + h.Cumulative[i])], total.Count + h.Count, total.SumSeconds + h.SumSeconds)
                    : total;
        }

        return total;
    }

    /// <summary>
    /// The <paramref name="percentile"/> (0–100) in milliseconds, interpolated linearly inside its bucket as
    /// Prometheus' histogram_quantile does; the top finite edge when it falls in +Inf; null without observations.
    /// </summary>
    public double? PercentileMs(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var total = Cumulative.Count == 0 ? 0 : Cumulative[^1];
        if (total <= 0)
        {
            return null;
        }

        var rank = percentile / 100 * total;
        for (var i = 0; i < UpperBounds.Count; i++)
        {
            if (Cumulative[i] < rank)
            {
                continue;
            }

            if (double.IsPositiveInfinity(UpperBounds[i]))
            {
                return i == 0 ? null : UpperBounds[i - 1] * 1000;
            }

            var lower = i == 0 ? 0 : UpperBounds[i - 1];
            var below = i == 0 ? 0 : Cumulative[i - 1];
            var inBucket = Cumulative[i] - below;
            var fraction = inBucket <= 0 ? 1 : (rank - below) / inBucket;
            return (lower + (UpperBounds[i] - lower) * fraction) * 1000;
        }

        return null;
    }

    /// <summary>Splits <c>name{labels} value [timestamp]</c>; false for a line that is not a sample.</summary>
    internal static bool TrySplit(string line, out string name, out string labels, out double value)
    {
        name = labels = "";
        value = 0;
        int rest;
        var brace = line.IndexOf('{');
        var space = line.IndexOfAny([' ', '\t']);
        if (brace >= 0 && (space < 0 || brace < space))
        {
            name = line[..brace];
            var close = ClosingBrace(line, brace);
            if (close < 0)
            {
                return false;
            }

            labels = line[(brace + 1)..close];
            rest = close + 1;
        }
        else if (space > 0)
        {
            name = line[..space];
            rest = space;
        }
        else
        {
            return false;
        }

        var fields = line[rest..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 1 && TryNumber(fields[0], out value);
    }

    private static int ClosingBrace(string line, int open)
    {
        var quoted = false;
        for (var i = open + 1; i < line.Length; i++)
        {
            switch (line[i])
            {
                case '\\' when quoted:
                    i++;
                    break;
                case '"':
                    quoted = !quoted;
                    break;
                case '}' when !quoted:
                    return i;
            }
        }

        return -1;
    }

    /// <summary>The value of one label in a label list, unescaped; null when absent.</summary>
    private static string? Label(string labels, string wanted)
    {
        var i = 0;
        while (i < labels.Length)
        {
            var equals = labels.IndexOf('=', i);
            if (equals < 0 || equals + 1 >= labels.Length || labels[equals + 1] != '"')
            {
                return null;
            }

            var key = labels[i..equals].Trim().TrimStart(',').Trim();
            var value = new System.Text.StringBuilder();
            var j = equals + 2;
            for (; j < labels.Length && labels[j] != '"'; j++)
            {
                if (labels[j] == '\\' && j + 1 < labels.Length)
                {
                    j++;
                    value.Append(labels[j] == 'n' ? '\n' : labels[j]);
                }
                else
                {
                    value.Append(labels[j]);
                }
            }

            if (key == wanted)
            {
                return value.ToString();
            }

            i = j + 1;
        }

        return null;
    }

    private static bool TryNumber(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
