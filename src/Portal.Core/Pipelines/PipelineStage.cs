namespace Portal.Core.Pipelines;

/// <summary>One step of a multi-model pipeline (e.g. retrieve → rerank → generate).</summary>
/// <param name="Name">Display name of the step.</param>
/// <param name="OnCriticalPath">False for steps whose latency the user never waits for (background, fire-and-forget).</param>
/// <param name="ObservedMaxColdStart">Largest cold-start TTFT observed on the stage's target in the window, if any.</param>
/// <param name="EstimatedColdStart">The user's estimate, used when nothing was observed.</param>
public sealed record PipelineStage(
    string Name,
    Guid EndpointId,
    bool OnCriticalPath,
    ServingMode Serving,
    TimeSpan? ObservedMaxColdStart = null,
    TimeSpan? EstimatedColdStart = null)
{
    /// <summary>The observed maximum when there is one, else the estimate, else zero.</summary>
    public TimeSpan ColdStartPotential => ObservedMaxColdStart ?? EstimatedColdStart ?? TimeSpan.Zero;

    /// <summary>Where <see cref="ColdStartPotential"/> came from.</summary>
    public PotentialSource PotentialSource => ObservedMaxColdStart is not null
        ? PotentialSource.Observed
        : EstimatedColdStart is not null ? PotentialSource.Estimated : PotentialSource.Unknown;

    /// <summary>Critical-path serverless stages add their potential to the worst case; others add nothing.</summary>
    public TimeSpan WorstCaseContribution => OnCriticalPath && Serving == ServingMode.Serverless ? ColdStartPotential : TimeSpan.Zero;
}
