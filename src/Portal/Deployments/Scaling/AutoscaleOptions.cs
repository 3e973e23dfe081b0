namespace Portal.Deployments;

/// <summary>Section <c>Autoscale</c>: how often the autoscaler looks at each deployment's load.</summary>
public sealed class AutoscaleOptions
{
    public const string SectionName = "Autoscale";

    public double IntervalSeconds { get; set; } = 5;
}
