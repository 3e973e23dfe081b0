using Portal.Core.Sla;

namespace Portal.Health;

/// <summary>Settings of section <c>Health</c>: probe cadence and the SLA promised.</summary>
public sealed class HealthOptions
{
    public const string SectionName = "Health";

    /// <summary>Seconds between availability probes of every replica and target; also the probe window.</summary>
    public int ProbeInterval { get; set; } = 30;

    /// <summary>
    /// Seconds between synthetic streaming requests that measure TTFT: to every dedicated replica, and to a serverless
    /// target only when its tenant opted in (they would keep it warm and spend its tokens).
    /// </summary>
    public int TtftProbeInterval { get; set; } = 60;

    /// <summary>Seconds a liveness or readiness probe may take (never more than the interval).</summary>
    public int ProbeTimeout { get; set; } = 5;

    /// <summary>Seconds a synthetic TTFT request may wait for its first token.</summary>
    public int TtftProbeTimeout { get; set; } = 20;

    /// <summary>Probes in flight at once: thousands of targets are probed by one job, in parallel, bounded.</summary>
    public int ProbeConcurrency { get; set; } = 32;

    /// <summary>
    /// Production requests a serverless target must have been sent in a probe window before their errors can fail it
    /// (<see cref="PassiveErrorRule"/>): fewer say too little.
    /// </summary>
    public int PassiveErrorMinRequests { get; set; } = PassiveErrorRule.DefaultMinRequests;

    /// <summary>Share (whole percent, 1–100) of those requests failing on the upstream's side that fails the window.</summary>
    public int PassiveErrorPercent { get; set; } = PassiveErrorRule.DefaultFailurePercent;

    public decimal TargetUptimePercent { get; set; } = 99.9m;

    public List<CreditTier> CreditTiers { get; set; } = [];

    public TimeSpan Interval => TimeSpan.FromSeconds(ProbeInterval);

    public TimeSpan Timeout => TimeSpan.FromSeconds(Math.Min(ProbeTimeout, ProbeInterval));

    public SlaOptions Sla => new() { ProbeInterval = Interval, TargetUptimePercent = TargetUptimePercent, CreditTiers = CreditTiers };

    /// <summary>A six-field cron (with seconds) for an interval that divides a minute or an hour evenly.</summary>
    public static string Cron(int seconds) => seconds switch
    {
        > 0 and < 60 when 60 % seconds == 0 => $"*/{seconds} * * * * *",
        >= 60 and <= 3600 when seconds % 60 == 0 && 60 % (seconds / 60) == 0 => $"0 */{seconds / 60} * * * *",
        _ => throw new InvalidOperationException($"A probe interval of {seconds} s does not divide a minute or an hour evenly; use e.g. 10, 15, 30 or 60."),
    };
}
