using System.Globalization;

namespace Portal.Health;

/// <summary>How SLA figures read on pages: the same digits everywhere.</summary>
public static class SlaFormat
{
    public static string Percent(decimal percent) => percent.ToString("0.000", CultureInfo.InvariantCulture) + " %";

    public static string Minutes(decimal minutes) => minutes.ToString("0.0", CultureInfo.InvariantCulture) + " min";

    public static string Burn(decimal? rate) => rate is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "—";

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
