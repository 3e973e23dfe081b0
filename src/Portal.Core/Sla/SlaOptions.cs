namespace Portal.Core.Sla;

/// <summary>SLA settings, bound from configuration (e.g. section <c>Sla</c>).</summary>
public sealed record SlaOptions
{
    /// <summary>How often each target is probed; also the width of a <see cref="ProbeWindow"/>.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The promised monthly uptime, in percent.</summary>
    public decimal TargetUptimePercent { get; init; } = 99.9m;

    /// <summary>Credit tiers in any order; the applicable one is the lowest threshold the uptime is below.</summary>
    public IReadOnlyList<CreditTier> CreditTiers { get; init; } = [];

    /// <summary>
    /// The tier for <paramref name="uptimePercent"/>: among tiers whose threshold the uptime is strictly below, the one
    /// with the lowest threshold (the worst uptime band, normally the largest credit); null when no tier applies.
    /// </summary>
    public CreditTier? TierFor(decimal uptimePercent) => CreditTiers
        .Where(tier => uptimePercent < tier.UptimeBelowPercent)
        .OrderBy(tier => tier.UptimeBelowPercent)
        .FirstOrDefault();

    /// <summary>Problems with the settings, one sentence each; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ProbeInterval <= TimeSpan.Zero)
        {
            problems.Add("The probe interval must be positive.");
        }

        if (TargetUptimePercent is <= 0 or > 100)
        {
            problems.Add("The target uptime must be above 0 % and at most 100 %.");
        }

        foreach (var tier in CreditTiers)
        {
            if (tier.UptimeBelowPercent is <= 0 or > 100)
            {
                problems.Add($"Credit tier 'below {tier.UptimeBelowPercent} %' must have a threshold above 0 % and at most 100 %.");
            }

            if (tier.CreditPercent is < 0 or > 100)
            {
                problems.Add($"Credit tier 'below {tier.UptimeBelowPercent} %' must credit between 0 % and 100 %.");
            }
        }

        foreach (var duplicate in CreditTiers.GroupBy(tier => tier.UptimeBelowPercent).Where(group => group.Count() > 1))
        {
            problems.Add($"More than one credit tier applies below {duplicate.Key} %.");
        }

        return problems;
    }
}
