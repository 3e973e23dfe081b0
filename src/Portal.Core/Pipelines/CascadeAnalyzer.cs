namespace Portal.Core.Pipelines;

/// <summary>
/// Cascading cold starts (DESIGN.md): in a pipeline every critical-path stage served serverless can cold-start on the
/// same user request, so the worst case is the sum of their cold-start potentials.
/// </summary>
public static class CascadeAnalyzer
{
    /// <summary>The default budget for the worst case: 5 s.</summary>
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The worst case of <paramref name="stages"/> and the fewest stages to move to dedicated so it drops strictly
    /// under <paramref name="budget"/> (default 5 s).
    /// </summary>
    /// <remarks>
    /// Greedy by largest potential is optimal. Moving a set of k stages lowers the worst case by the sum of their
    /// potentials, and no k stages lower it by more than the k largest. So if any k stages bring the worst case under
    /// budget, the k largest do too, and taking the largest one at a time until under budget stops at the smallest
    /// such k. Ties go to the earlier stage, so the advice is deterministic.
    /// </remarks>
    public static CascadeReport Analyze(IReadOnlyList<PipelineStage> stages, TimeSpan? budget = null)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var limit = budget ?? DefaultBudget;
        if (limit <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(budget), limit, "A latency budget is positive.");
        }

        if (stages.Any(stage => stage.ColdStartPotential < TimeSpan.Zero))
        {
            throw new ArgumentException("A cold-start potential cannot be negative.", nameof(stages));
        }

        var worstCase = Sum(stages.Select(stage => stage.WorstCaseContribution));
        var candidates = stages
            .Select((stage, index) => (Stage: stage, Index: index))
            .Where(candidate => candidate.Stage.WorstCaseContribution > TimeSpan.Zero)
            .OrderByDescending(candidate => candidate.Stage.WorstCaseContribution)
            .ThenBy(candidate => candidate.Index);

        var moves = new List<PipelineStage>();
        var after = worstCase;
        foreach (var (stage, _) in candidates)
        {
            if (after < limit)
            {
                break;
            }

            moves.Add(stage);
            after -= stage.WorstCaseContribution;
        }

        var unknown = stages
            .Where(stage => stage is { OnCriticalPath: true, Serving: ServingMode.Serverless, PotentialSource: PotentialSource.Unknown })
            .ToList();
        return new CascadeReport(limit, worstCase, moves, after, unknown);
    }

    private static TimeSpan Sum(IEnumerable<TimeSpan> values) => values.Aggregate(TimeSpan.Zero, (total, value) => total + value);
}
