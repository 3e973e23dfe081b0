using System.Globalization;

namespace Portal.Benchmarks;

/// <summary>The benchmarks' command-line flags (<c>--name value</c>) and the machine's load average, printed beside figures.</summary>
internal static class BenchmarkArgs
{
    public static string Flag(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }

    /// <summary>The one-minute load average from /proc/loadavg.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
