namespace Portal.Core.Pipelines;

/// <summary>The worst-case cascading cold start of a pipeline and what to move to get it under budget.</summary>
/// <param name="WorstCase">Sum of the critical-path serverless stages' cold-start potentials.</param>
/// <param name="MoveToDedicated">The fewest stages to move, largest potential first; empty when already under budget.</param>
/// <param name="WorstCaseAfter">The worst case once <paramref name="MoveToDedicated"/> are dedicated.</param>
/// <param name="UnknownPotential">Critical-path serverless stages with neither an observation nor an estimate.</param>
public sealed record CascadeReport(
    TimeSpan Budget,
    TimeSpan WorstCase,
    IReadOnlyList<PipelineStage> MoveToDedicated,
    TimeSpan WorstCaseAfter,
    IReadOnlyList<PipelineStage> UnknownPotential)
{
    /// <summary>Strictly under budget, as DESIGN's "drops under the budget".</summary>
    public bool IsWithinBudget => WorstCase < Budget;
}
