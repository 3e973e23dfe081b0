using System.Globalization;

namespace Portal.Core.Sizing;

/// <summary>Binary units: 1 GiB = 2³⁰ bytes (1.074 GB). Every memory figure the portal shows is in GiB and says so.</summary>
public static class Bytes
{
    public const long GiB = 1L << 30;

    public static double ToGiB(long bytes) => (double)bytes / GiB;

    /// <summary>"131.4 GiB".</summary>
    public static string FormatGiB(long bytes) => ToGiB(bytes).ToString("0.0", CultureInfo.InvariantCulture) + " GiB";
}
