using System.Globalization;

namespace Portal.Core.Scaling;

/// <summary>One look at a deployment's load: requests in flight, Ready replicas, replicas still starting.</summary>
public readonly record struct LoadObservation(DateTimeOffset At, int InFlight, int ReadyReplicas, int StartingReplicas = 0)
{
    /// <summary>In flight per Ready replica; with no Ready replica, any request in flight counts as infinite load.</summary>
    public double PerReplica => ReadyReplicas > 0 ? InFlight / (double)ReadyReplicas : InFlight > 0 ? double.PositiveInfinity : 0;
}

/// <summary>What the autoscaler remembers between looks: since when load has been high or quiet, and the last change.</summary>
public sealed record AutoscaleState(DateTimeOffset? HighSince, DateTimeOffset? QuietSince, DateTimeOffset? LastChangeAt)
{
    public static AutoscaleState Initial { get; } = new(null, null, null);
}

public enum ScaleDirection
{
    Hold,
    Out,
    In,
}

/// <summary>The outcome of one look: the direction, the new desired count, why (with the metric), and the state to keep.</summary>
public sealed record ScaleDecision(ScaleDirection Direction, int Desired, string Reason, double LoadPerReplica, AutoscaleState State);

/// <summary>
/// The scaling rule, one step at a time: out after load stays above the target for <see cref="AutoscalePolicy.ScaleOutAfter"/>,
/// in after it stays below the quiet line for <see cref="AutoscalePolicy.ScaleInAfter"/>, never within the cool-down of the
/// previous change, never while an added replica is still starting, never below the baseline or above the maximum.
/// </summary>
public static class Autoscaler
{
    public static ScaleDecision Decide(AutoscalePolicy policy, AutoscaleState state, LoadObservation load, int desired, int baseline, int max)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(state);
        if (baseline < 0 || max < baseline)
        {
            throw new ArgumentOutOfRangeException(nameof(max), "The maximum must be at least the baseline, which cannot be negative.");
        }

        var perReplica = load.PerReplica;
        if (desired < baseline || desired > max)
        {
            var bounded = Math.Clamp(desired, baseline, max);
            return new ScaleDecision(bounded > desired ? ScaleDirection.Out : ScaleDirection.In, bounded,
                $"Desired {desired} is outside {baseline}–{max}; back to {bounded}.", perReplica, new AutoscaleState(null, null, load.At));
        }

        var high = perReplica > policy.TargetInFlightPerReplica;
        var quiet = perReplica < policy.TargetInFlightPerReplica * policy.QuietBelowFraction;
        var next = new AutoscaleState(high ? state.HighSince ?? load.At : null, quiet ? state.QuietSince ?? load.At : null, state.LastChangeAt);
        var metric = double.IsPositiveInfinity(perReplica)
            ? $"{load.InFlight} in flight with no Ready replica"
            : $"{perReplica.ToString("0.##", CultureInfo.InvariantCulture)} in flight per Ready replica (target {policy.TargetInFlightPerReplica.ToString(CultureInfo.InvariantCulture)})";

        if (load.StartingReplicas > 0)
        {
            return Hold($"Waiting for {load.StartingReplicas} starting replica(s) to become Ready; {metric}.");
        }

        if (state.LastChangeAt is { } last && load.At - last < policy.Cooldown)
        {
            return Hold($"Cooling down after the change at {last:HH:mm:ss} UTC; {metric}.");
        }

        if (next.HighSince is { } highSince && load.At - highSince >= policy.ScaleOutAfter && desired < max)
        {
            return new ScaleDecision(ScaleDirection.Out, desired + 1,
                $"Scale out to {desired + 1}: {metric} for {Seconds(load.At - highSince)}.", perReplica, new AutoscaleState(null, null, load.At));
        }

        if (next.QuietSince is { } quietSince && load.At - quietSince >= policy.ScaleInAfter && desired > baseline)
        {
            return new ScaleDecision(ScaleDirection.In, desired - 1,
                $"Scale in to {desired - 1}: {metric} for {Seconds(load.At - quietSince)}.", perReplica, new AutoscaleState(null, null, load.At));
        }

        return Hold(high && desired >= max ? $"At the maximum of {max}; {metric}." : $"Holding at {desired}; {metric}.");

        ScaleDecision Hold(string reason) => new(ScaleDirection.Hold, desired, reason, perReplica, next);
    }

    private static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
}
