namespace Portal.Core.Sla;

/// <summary>A service-credit tier: when monthly uptime is below <see cref="UptimeBelowPercent"/>, credit <see cref="CreditPercent"/> of the bill.</summary>
public sealed record CreditTier(decimal UptimeBelowPercent, decimal CreditPercent);
