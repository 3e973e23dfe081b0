using Portal.Core.Catalog;
using Portal.Core.Sizing;

namespace Portal.Core.Deployments;

/// <summary>
/// A valid spec with everything looked up: the catalog entries, the architecture, the effective runtime settings and
/// the fit. Renderers and runtimes take this, never a raw spec.
/// </summary>
public sealed record ResolvedDeployment
{
    public required DeploymentSpec Spec { get; init; }

    public string Name => Spec.Name;

    /// <summary>Name of the model in the OpenAI API (<c>/v1/models</c>, the <c>model</c> field of requests).</summary>
    public required string ServedModelName { get; init; }

    /// <summary>For messages: "Llama 3.1 70B Instruct" or the repository id.</summary>
    public required string ModelDisplayName { get; init; }

    /// <summary>What the engine loads: a Hugging Face repository id or an <c>s3://</c> URI (the base model for LoRA).</summary>
    public required string ModelPath { get; init; }

    public string? Revision => Spec.Model.Source == ModelSource.HuggingFace ? Spec.Model.Revision : null;

    /// <summary>The LoRA adapter's location, when there is one.</summary>
    public string? Adapter => Spec.Model.Source == ModelSource.LoraAdapter ? Spec.Model.Adapter : null;

    /// <summary>Sources that load with the tenant's own credentials only; empty = public catalog weights (platform mirror and token).</summary>
    public required IReadOnlyList<PrivateWeightSource> PrivateSources { get; init; }

    /// <summary>The credential kinds <see cref="PrivateSources"/> need.</summary>
    public IReadOnlySet<WeightCredentialKind> PrivateCredentialKinds => WeightSources.KindsNeeded(PrivateSources);

    public required ModelArchitecture Architecture { get; init; }

    public InferenceEngine Engine => Spec.Engine;

    public required RuntimeSettings Runtime { get; init; }

    public required GpuType Gpu { get; init; }

    public int GpusPerReplica => Spec.GpusPerReplica;

    public int BaselineReplicas => Spec.BaselineReplicas;

    public int MaxReplicas => Spec.MaxReplicas;

    public required Region Region { get; init; }

    public required FitResult Fit { get; init; }
}
