namespace Portal.Pipelines;

public sealed record PipelineStageRequest(string Name, Guid EndpointId, bool OnCriticalPath = true, int? EstimatedColdStartMs = null);

/// <summary>A pipeline as the page and <c>/api/v1/pipelines</c> submit it: stages in order; budget in ms (default 5,000).</summary>
public sealed record PipelineRequest(string Name, IReadOnlyList<PipelineStageRequest> Stages, int? BudgetMs = null);

public sealed record PipelineStageView(string Name, Guid EndpointId, string? EndpointName, bool OnCriticalPath, int? EstimatedColdStartMs);

public sealed record PipelineView(Guid Id, string Name, int BudgetMs, IReadOnlyList<PipelineStageView> Stages, DateTimeOffset UpdatedAt);

/// <summary>One stage in the cascade report: how it is served, its cold-start potential and where that figure comes from.</summary>
/// <param name="Serving">Serverless (can cold-start), Dedicated (adds nothing), or Missing (its endpoint was deleted).</param>
/// <param name="PotentialSource">Observed, Estimated or Unknown.</param>
public sealed record CascadeStageView(
    int Position, string Name, Guid EndpointId, string? EndpointName, string Serving, bool OnCriticalPath,
    double PotentialMs, string PotentialSource, double ContributionMs, bool MoveToDedicated);

/// <summary>The worst-case cascading cold start of a pipeline and the fewest stages to move under the budget.</summary>
public sealed record CascadeReportView(
    Guid PipelineId, string Name, double BudgetMs, double WorstCaseMs, bool WithinBudget, double WorstCaseAfterMs,
    IReadOnlyList<CascadeStageView> Stages, int ObservationWindowDays);
