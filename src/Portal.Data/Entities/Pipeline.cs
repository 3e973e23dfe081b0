namespace Portal.Data.Entities;

/// <summary>A compound pipeline of the tenant: endpoints called one after another for one user request.</summary>
public sealed class Pipeline : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }

    /// <summary>The worst-case cascading cold start the pipeline may suffer, in milliseconds (default 5 s).</summary>
    public int BudgetMs { get; set; } = 5000;

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<PipelineStage> Stages { get; set; } = [];
}

/// <summary>One stage of a <see cref="Pipeline"/>, in order.</summary>
public sealed class PipelineStage
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid PipelineId { get; set; }

    /// <summary>0-based order within the pipeline.</summary>
    public int Position { get; set; }

    public required string Name { get; set; }
    public Guid EndpointId { get; set; }
    public bool OnCriticalPath { get; set; } = true;

    /// <summary>The person's estimate of the stage's cold start, used while none has been observed.</summary>
    public int? EstimatedColdStartMs { get; set; }
}
