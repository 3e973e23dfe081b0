using Portal.Core.Quotas;

namespace Portal.Core.Deployments;

/// <summary>
/// What the deploy wizard, the management API and the CLI submit: the desired state of a dedicated deployment.
/// Check it with <see cref="DeploymentValidator.Validate"/> before storing or launching it.
/// </summary>
public sealed record DeploymentSpec
{
    /// <summary>DNS-label style, 3–40 characters; unique within the tenant. It becomes part of Kubernetes names.</summary>
    public required string Name { get; init; }

    public required ModelReference Model { get; init; }

    public InferenceEngine Engine { get; init; } = InferenceEngine.Vllm;

    /// <summary>Null = the catalog's defaults for the model's class.</summary>
    public RuntimeSettings? Runtime { get; init; }

    public required string GpuType { get; init; }

    /// <summary>Also the tensor-parallel size.</summary>
    public int GpusPerReplica { get; init; } = 1;

    /// <summary>Replicas always running (reserved capacity).</summary>
    public int BaselineReplicas { get; init; } = 1;

    /// <summary>Upper bound with burst capacity.</summary>
    public int MaxReplicas { get; init; } = 1;

    public required string Region { get; init; }

    /// <summary>Model name programs send; null = the repository id (or the deployment name for s3 and LoRA models).</summary>
    public string? ServedModelName { get; init; }
}

/// <summary>What the validator needs to know about the tenant.</summary>
public sealed record DeploymentValidationContext
{
    /// <summary>The tenant's region lock: the only regions allowed. Null = unrestricted.</summary>
    public IReadOnlyCollection<string>? AllowedRegions { get; init; }

    /// <summary>Names of the tenant's other deployments (leave out the one being edited).</summary>
    public IReadOnlyCollection<string> NamesInUse { get; init; } = [];

    /// <summary>
    /// The weight credentials the tenant has stored. Null = not checked (a stored spec being launched again); otherwise a
    /// private source whose kind is missing is refused (<see cref="WeightSources"/>).
    /// </summary>
    public IReadOnlyCollection<WeightCredentialKind>? StoredWeightCredentials { get; init; }

    /// <summary>The tenant's quotas and its use without this deployment. Null = no quota applies (rendering a stored spec).</summary>
    public DeploymentQuota? Quota { get; init; }

    public static DeploymentValidationContext Unrestricted { get; } = new();
}

/// <param name="Others">The tenant's use without the deployment being checked.</param>
/// <param name="IsNew">A new deployment also counts against the deployments and endpoints quotas.</param>
public sealed record DeploymentQuota(QuotaLimits Limits, QuotaUsage Others, bool IsNew);
