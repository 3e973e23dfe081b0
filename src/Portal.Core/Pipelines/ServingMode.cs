namespace Portal.Core.Pipelines;

/// <summary>How a pipeline stage's endpoint is served today.</summary>
public enum ServingMode
{
    /// <summary>Shared GPUs; can cold-start.</summary>
    Serverless,

    /// <summary>Weights always resident; adds no cold start.</summary>
    Dedicated,
}
