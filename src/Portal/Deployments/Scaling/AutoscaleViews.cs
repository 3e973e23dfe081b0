using Portal.Core.Scaling;
using Portal.Data.Entities;

namespace Portal.Deployments;

/// <summary>A deployment's autoscale policy as the API and the page edit it; times in seconds.</summary>
public sealed record AutoscalePolicyView(
    double TargetInFlightPerReplica, int ScaleOutAfterSeconds, int ScaleInAfterSeconds, double QuietBelowFraction, int CooldownSeconds,
    int DrainTimeoutSeconds)
{
    public const int DefaultDrainTimeoutSeconds = 120;

    public static AutoscalePolicyView Default { get; } = From(AutoscalePolicy.Default, DefaultDrainTimeoutSeconds);

    public static AutoscalePolicyView From(AutoscalePolicy p, int drainTimeoutSeconds) => new(p.TargetInFlightPerReplica,
        (int)p.ScaleOutAfter.TotalSeconds, (int)p.ScaleInAfter.TotalSeconds, p.QuietBelowFraction, (int)p.Cooldown.TotalSeconds, drainTimeoutSeconds);

    public static AutoscalePolicyView From(AutoscaleSettings? s) => s is null
        ? Default
        : new(s.TargetInFlightPerReplica, s.ScaleOutAfterSeconds, s.ScaleInAfterSeconds, s.QuietBelowFraction, s.CooldownSeconds, s.DrainTimeoutSeconds);

    public AutoscalePolicy ToPolicy() => new()
    {
        TargetInFlightPerReplica = TargetInFlightPerReplica,
        ScaleOutAfter = TimeSpan.FromSeconds(ScaleOutAfterSeconds),
        ScaleInAfter = TimeSpan.FromSeconds(ScaleInAfterSeconds),
        QuietBelowFraction = QuietBelowFraction,
        Cooldown = TimeSpan.FromSeconds(CooldownSeconds),
    };

    /// <summary>Field errors, empty when usable: the Core policy's own checks plus the drain timeout.</summary>
    public Dictionary<string, string[]> Errors()
    {
        var errors = new Dictionary<string, string[]>();
        if (ToPolicy().Problems() is { Count: > 0 } problems)
        {
            errors["policy"] = [.. problems];
        }

        if (DrainTimeoutSeconds is < 1 or > 3600)
        {
            errors[nameof(DrainTimeoutSeconds)] = ["The drain timeout must be between 1 s and 1 hour."];
        }

        return errors;
    }

    public void ApplyTo(AutoscaleSettings s)
    {
        s.TargetInFlightPerReplica = TargetInFlightPerReplica;
        s.ScaleOutAfterSeconds = ScaleOutAfterSeconds;
        s.ScaleInAfterSeconds = ScaleInAfterSeconds;
        s.QuietBelowFraction = QuietBelowFraction;
        s.CooldownSeconds = CooldownSeconds;
        s.DrainTimeoutSeconds = DrainTimeoutSeconds;
    }
}

/// <summary>One line of the scaling timeline.</summary>
public sealed record ScaleEventView(DateTimeOffset At, int From, int To, string Reason, double? LoadPerReplica);

public sealed record AutoscaleView(Guid DeploymentId, int BaselineReplicas, int MaxReplicas, int DesiredReplicas, AutoscalePolicyView Policy,
    IReadOnlyList<ScaleEventView> Events);
