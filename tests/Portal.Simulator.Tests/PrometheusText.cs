using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Simulator.Tests;

/// <summary>
/// A strict reader of the Prometheus text exposition format (0.0.4): every line must be HELP, TYPE or a sample of
/// the family declared just before it, label syntax and values must be well formed, histograms must have ascending
/// <c>le</c> edges, cumulative counts and a +Inf bucket equal to <c>_count</c>.
/// </summary>
internal sealed partial class PrometheusText
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string Help, List<Sample> Samples);

    public Dictionary<string, Family> Families { get; } = new(StringComparer.Ordinal);

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        Family? current = null;
        string? pendingHelpName = null;
        string? pendingHelp = null;
        var lines = text.Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        foreach (var line in lines[..^1])
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var match = HelpLine().Match(line);
                Assert.True(match.Success, $"Bad HELP line: {line}");
                pendingHelpName = match.Groups[1].Value;
                pendingHelp = match.Groups[2].Value;
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var match = TypeLine().Match(line);
                Assert.True(match.Success, $"Bad TYPE line: {line}");
                var name = match.Groups[1].Value;
                Assert.Equal(pendingHelpName, name);
                Assert.False(result.Families.ContainsKey(name), $"Family {name} declared twice");
                current = new Family(name, match.Groups[2].Value, pendingHelp!, []);
                result.Families.Add(name, current);
                continue;
            }

            Assert.False(line.StartsWith('#'), $"Unknown comment line: {line}");
            Assert.NotNull(current);
            var sample = ParseSample(line);
            var suffix = sample.Name.StartsWith(current.Name, StringComparison.Ordinal) ? sample.Name[current.Name.Length..] : null;
            var allowed = current.Type switch
            {
                "counter" => new[] { "_total", "_created" },
                "gauge" => new[] { string.Empty },
                "histogram" => new[] { "_bucket", "_count", "_sum", "_created" },
                _ => throw new InvalidOperationException($"Unsupported type {current.Type}"),
            };
            Assert.True(suffix is not null && allowed.Contains(suffix), $"Sample {sample.Name} does not belong to {current.Name}");
            current.Samples.Add(sample);
        }

        foreach (var family in result.Families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return result;
    }

    public double Value(string sampleName, params (string Label, string Value)[] labels) =>
        Families.Values.SelectMany(f => f.Samples)
            .Single(s => s.Name == sampleName && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value))
            .Value;

    public IReadOnlyList<double> BucketEdges(string family) =>
        Families[family].Samples.Where(s => s.Name == family + "_bucket" && s.Labels["le"] != "+Inf")
            .Select(s => double.Parse(s.Labels["le"], CultureInfo.InvariantCulture)).ToList();

    private static void CheckHistogram(Family family)
    {
        var buckets = family.Samples.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(buckets);
        Assert.Equal("+Inf", buckets[^1].Labels["le"]);
        for (var i = 1; i < buckets.Count; i++)
        {
            Assert.True(buckets[i].Value >= buckets[i - 1].Value, $"{family.Name} buckets are not cumulative");
            if (i < buckets.Count - 1)
            {
                Assert.True(ParseValue(buckets[i].Labels["le"]) > ParseValue(buckets[i - 1].Labels["le"]),
                    $"{family.Name} edges are not ascending");
            }
        }

        var count = family.Samples.Single(s => s.Name == family.Name + "_count").Value;
        Assert.Equal(count, buckets[^1].Value);
        Assert.Single(family.Samples, s => s.Name == family.Name + "_sum");
    }

    private static Sample ParseSample(string line)
    {
        var match = SampleLine().Match(line);
        Assert.True(match.Success, $"Bad sample line: {line}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var labelText = match.Groups[2].Value;
        var position = 0;
        while (position < labelText.Length)
        {
            var label = LabelPair().Match(labelText, position);
            Assert.True(label.Success && label.Index == position, $"Bad labels in: {line}");
            Assert.True(labels.TryAdd(label.Groups[1].Value, Unescape(label.Groups[2].Value)), $"Duplicate label in: {line}");
            position += label.Length;
            if (position < labelText.Length)
            {
                Assert.Equal(',', labelText[position]);
                position++;
            }
        }

        return new Sample(match.Groups[1].Value, labels, ParseValue(match.Groups[3].Value));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string value) =>
        value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal)
            .Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([-+]?(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|Inf|NaN))$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\[\\""n])*)""")]
    private static partial Regex LabelPair();
}
