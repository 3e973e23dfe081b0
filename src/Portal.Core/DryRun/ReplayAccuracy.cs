using System.Globalization;

namespace Portal.Core.DryRun;

/// <summary>
/// One measured compression: traffic recorded through a real deployment was replayed on that deployment's own
/// configuration, and its TTFT p50, p90 and p99 differed from the recorded ones by at most <see cref="LargestError"/> (a
/// fraction) in every traffic shape measured.
/// </summary>
public sealed record AccuracyPoint(double Compression, double LargestError);

/// <summary>
/// How close dry runs have come on traffic whose outcome was known, as the <c>dry-run</c> benchmark measured it
/// (docs/dry-run.md, "How close replays of known traffic come"): the shipped portal records traffic through a dedicated
/// deployment of simulator replicas, then replays the window with that deployment as the candidate at each compression.
/// The error grows with the compression (the host's own work per request and its CPU are not compressed), so a report
/// states the point for its own compression.
/// </summary>
public static class ReplayAccuracy
{
    /// <summary>
    /// Measured 2026-12-07 on a 2-core VM, two traffic shapes (light, and queueing through a burst): the largest error of
    /// either. Light traffic stayed within 13 % up to ×144; the larger errors are the queueing shape's, overstated.
    /// </summary>
    public static IReadOnlyList<AccuracyPoint> Measured { get; } =
    [
        new(1, 0.06),
        new(10, 0.15),
        new(60, 0.92),
        new(144, 3.44),
    ];

    /// <summary>Whether replays at <paramref name="compression"/> are within the measured range (the form warns above it).</summary>
    public static bool Measures(double compression) => compression <= Measured[^1].Compression;

    /// <summary>A sentence for a report or a form: the measured point at or next above <paramref name="compression"/>.</summary>
    public static string Statement(double compression)
    {
        var top = Measured[^1];
        if (compression > top.Compression)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Replays of known traffic were measured up to ×{top.Compression:0.##}, where their TTFT p50, p90 and p99 differed from "
                + $"the recorded ones by at most {top.LargestError:0%}; above it the error grows with the compression: a millisecond of the "
                + $"host's lateness reads as more than {top.Compression:0.##} ms of queueing, and can read as a cold start that was not there.");
        }

        var point = Measured.First(p => p.Compression >= compression);
        var at = point.Compression == compression ? $"at ×{point.Compression:0.##}" : $"at up to ×{point.Compression:0.##}";
        return string.Create(CultureInfo.InvariantCulture,
            $"Replays of known traffic {at} differed from the recorded TTFT p50, p90 and p99 by at most {point.LargestError:0%}.");
    }
}
