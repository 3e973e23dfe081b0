namespace Portal.Core.Scaling;

/// <summary>How a deployment scales between its baseline and maximum; set per deployment.</summary>
public sealed record AutoscalePolicy
{
    /// <summary>Requests in flight (running plus queued) per Ready replica above which load counts as high.</summary>
    public double TargetInFlightPerReplica { get; init; } = 4;

    /// <summary>How long load must stay high before one replica is added.</summary>
    public TimeSpan ScaleOutAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long load must stay quiet before one replica is removed.</summary>
    public TimeSpan ScaleInAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Quiet means below this fraction of the target. The gap between quiet and high is the hysteresis band that keeps a
    /// load oscillating around the target from flapping.
    /// </summary>
    public double QuietBelowFraction { get; init; } = 0.5;

    /// <summary>No change within this time after the previous one.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(2);

    public static AutoscalePolicy Default { get; } = new();

    /// <summary>
    /// Requests in flight at which a baseline replica counts as saturated for routing: burst replicas take what is above
    /// the same target that makes the deployment scale out.
    /// </summary>
    public int SaturationBound => Math.Max(1, (int)Math.Ceiling(TargetInFlightPerReplica));

    /// <summary>Sentences naming what is wrong, empty when the policy is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (TargetInFlightPerReplica <= 0 || double.IsNaN(TargetInFlightPerReplica))
        {
            problems.Add("The target of requests in flight per replica must be above zero.");
        }

        if (QuietBelowFraction is <= 0 or >= 1 || double.IsNaN(QuietBelowFraction))
        {
            problems.Add("Quiet must be a fraction of the target between 0 and 1 (exclusive).");
        }

        if (ScaleOutAfter < TimeSpan.Zero || ScaleInAfter < TimeSpan.Zero || Cooldown < TimeSpan.Zero)
        {
            problems.Add("Sustain periods and the cool-down cannot be negative.");
        }

        return problems;
    }
}
