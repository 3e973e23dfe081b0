using Portal.Pipelines;

namespace Portal.Components.Pages.Migration;

/// <summary>The pipeline being edited on the page, in seconds as people type them; submitted as a <see cref="PipelineRequest"/>.</summary>
public sealed class PipelineDraft
{
    public Guid? Id { get; init; }
    public string Name { get; set; } = "";
    public double BudgetSeconds { get; set; } = 5;
    public List<StageDraft> Stages { get; init; } = [];

    public static PipelineDraft From(PipelineView view) => new()
    {
        Id = view.Id,
        Name = view.Name,
        BudgetSeconds = view.BudgetMs / 1000.0,
        Stages = view.Stages.Select(s => new StageDraft
        {
            Name = s.Name, EndpointId = s.EndpointId, OnCriticalPath = s.OnCriticalPath, EstimatedSeconds = s.EstimatedColdStartMs / 1000.0,
        }).ToList(),
    };

    public PipelineRequest ToRequest() => new(Name,
        Stages.Select(s => new PipelineStageRequest(s.Name, s.EndpointId ?? Guid.Empty, s.OnCriticalPath,
            s.EstimatedSeconds is { } e ? (int)Math.Round(e * 1000) : null)).ToList(),
        (int)Math.Round(BudgetSeconds * 1000));

    public void Move(int index, int by)
    {
        var target = index + by;
        if (target >= 0 && target < Stages.Count)
        {
            (Stages[index], Stages[target]) = (Stages[target], Stages[index]);
        }
    }
}

public sealed class StageDraft
{
    public string Name { get; set; } = "";
    public Guid? EndpointId { get; set; }
    public bool OnCriticalPath { get; set; } = true;
    public double? EstimatedSeconds { get; set; }
}
