using System.Globalization;

namespace Portal.Components.Pages.Usage;

/// <summary>How the usage pages write money and quantities: two decimals for totals, more for unit costs (often fractions of a cent).</summary>
public static class UsageFormat
{
    public static string Usd(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture) + " USD";

    public static string UnitUsd(decimal? value) => value is { } v ? v.ToString("#,0.######", CultureInfo.InvariantCulture) + " USD" : "—";

    public static string Hours(decimal value) => value.ToString("#,0.##", CultureInfo.InvariantCulture) + " h";

    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);
}
