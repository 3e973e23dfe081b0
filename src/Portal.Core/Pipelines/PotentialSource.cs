namespace Portal.Core.Pipelines;

/// <summary>Where a stage's cold-start potential comes from.</summary>
public enum PotentialSource
{
    Observed,
    Estimated,

    /// <summary>Neither observed nor estimated: counted as zero, so the worst case may be understated.</summary>
    Unknown,
}
