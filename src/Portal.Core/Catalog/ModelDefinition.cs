using Portal.Core.Cost;

namespace Portal.Core.Catalog;

/// <summary>A model the portal offers by name.</summary>
public sealed record ModelDefinition
{
    /// <summary>Stable id, e.g. <c>llama-3.1-70b-instruct</c>.</summary>
    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public required string Family { get; init; }

    /// <summary>Where the engines load it from, e.g. <c>meta-llama/Llama-3.1-70B-Instruct</c>.</summary>
    public required string HuggingFaceRepository { get; init; }

    public required string Licence { get; init; }

    public required ModelArchitecture Architecture { get; init; }

    /// <summary>Published generation throughput of one replica on a GPU type, each with its source; empty when none is known.</summary>
    public IReadOnlyList<PublishedThroughput> Throughput { get; init; } = [];

    public ModelClass Class => Architecture.Class;

    /// <summary>
    /// The catalog's capacity of one replica of <paramref name="gpus"/> × <paramref name="gpuType"/>; null when no figure
    /// was published for that pair (it is never scaled from another GPU count or type).
    /// </summary>
    public ReplicaCapacity? CapacityOn(string gpuType, int gpus) =>
        Throughput.FirstOrDefault(t => string.Equals(t.Gpu, gpuType, StringComparison.OrdinalIgnoreCase) && t.Gpus == gpus) is { } figure
            ? new ReplicaCapacity(figure.OutputTokensPerSecond, $"catalog: {figure.Source}")
            : null;
}

/// <summary>A published figure: generated tokens per second of one replica of <see cref="Gpus"/> × <see cref="Gpu"/> under load.</summary>
/// <param name="Quantization">The weights' quantization in that measurement, e.g. <c>fp8</c>.</param>
/// <param name="Source">Who measured it and where it is published.</param>
public sealed record PublishedThroughput(string Gpu, int Gpus, string Quantization, double OutputTokensPerSecond, string Source);
