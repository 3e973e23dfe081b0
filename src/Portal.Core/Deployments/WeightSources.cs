using Portal.Core.Catalog;

namespace Portal.Core.Deployments;

/// <summary>Which kind of credential a private weight source is read with.</summary>
public enum WeightCredentialKind
{
    /// <summary>A Hugging Face access token.</summary>
    HuggingFace,

    /// <summary>S3-compatible object-store keys (access key id, secret, optional endpoint and region).</summary>
    ObjectStore,
}

/// <summary>A location of a deployment's weights that only the tenant's own credentials may read.</summary>
/// <param name="Kind">The credential it needs.</param>
/// <param name="Location">The repository id or <c>s3://</c> URI, for messages.</param>
/// <param name="Field">The <see cref="DeploymentFields"/> key of the spec field that names it.</param>
public sealed record PrivateWeightSource(WeightCredentialKind Kind, string Location, string Field);

/// <summary>One environment variable a replica reads weights with, and the key that holds it in the tenant's secret.</summary>
public sealed record WeightVariable(string Name, WeightCredentialKind Kind, string SecretKey, bool Optional);

/// <summary>
/// The rule "whose identity loads these weights". Public sources are the platform catalog's models: their Hugging Face
/// repositories (also named directly, or as a LoRA base) load through the platform's mirror and token. Everything else is
/// private and loads with the deploying tenant's own credentials only: any other Hugging Face repository (it may be
/// gated or private, and the platform's token must not open another account's repositories for it) and every
/// <c>s3://</c> URI (buckets are never public to the platform's identity on a tenant's behalf).
/// </summary>
public static class WeightSources
{
    /// <summary>The variables a private replica gets from its tenant's credentials, in a fixed order.</summary>
    public static IReadOnlyList<WeightVariable> Variables { get; } =
    [
        new("HF_TOKEN", WeightCredentialKind.HuggingFace, "hf-token", Optional: false),
        new("AWS_ACCESS_KEY_ID", WeightCredentialKind.ObjectStore, "aws-access-key-id", Optional: false),
        new("AWS_SECRET_ACCESS_KEY", WeightCredentialKind.ObjectStore, "aws-secret-access-key", Optional: false),
        new("AWS_ENDPOINT_URL", WeightCredentialKind.ObjectStore, "aws-endpoint-url", Optional: true),
        new("AWS_REGION", WeightCredentialKind.ObjectStore, "aws-region", Optional: true),
        new("AWS_DEFAULT_REGION", WeightCredentialKind.ObjectStore, "aws-region", Optional: true),
    ];

    /// <summary>
    /// Variables through which a process could pick up the platform's own identity for Hugging Face or object storage.
    /// A private replica never inherits them from the host.
    /// </summary>
    public static IReadOnlyList<string> PlatformIdentityVariables { get; } =
    [
        "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_ENDPOINT",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_S3", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
        "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ];

    /// <summary>True when the repository is one the platform catalog serves (compared without regard to case, as Hugging Face does).</summary>
    public static bool IsPublicHuggingFaceRepository(string? repository, ModelCatalog catalog) =>
        repository is not null
        && catalog.Models.Any(m => string.Equals(m.HuggingFaceRepository, repository, StringComparison.OrdinalIgnoreCase));

    /// <summary>The private sources of a model reference; empty when everything it loads is public.</summary>
    public static IReadOnlyList<PrivateWeightSource> PrivateSources(ModelReference reference, ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(catalog);
        return reference.Source switch
        {
            ModelSource.HuggingFace when !IsPublicHuggingFaceRepository(reference.Repository, catalog) && reference.Repository is { } repository =>
                [new PrivateWeightSource(WeightCredentialKind.HuggingFace, repository, DeploymentFields.ModelRepository)],
            ModelSource.ObjectStore when reference.ObjectStoreUri is { } uri =>
                [new PrivateWeightSource(WeightCredentialKind.ObjectStore, uri, DeploymentFields.ModelObjectStoreUri)],
            ModelSource.LoraAdapter when reference.Adapter is { } adapter && ModelLocations.IsObjectStoreUri(adapter) =>
                [new PrivateWeightSource(WeightCredentialKind.ObjectStore, adapter, DeploymentFields.ModelAdapter)],
            ModelSource.LoraAdapter when reference.Adapter is { } adapter && !IsPublicHuggingFaceRepository(adapter, catalog) =>
                [new PrivateWeightSource(WeightCredentialKind.HuggingFace, adapter, DeploymentFields.ModelAdapter)],
            _ => [],
        };
    }

    /// <summary>The kinds of credential the sources need, each once.</summary>
    public static IReadOnlySet<WeightCredentialKind> KindsNeeded(IEnumerable<PrivateWeightSource> sources) =>
        sources.Select(s => s.Kind).ToHashSet();

    /// <summary>Field errors for the sources whose credential the tenant has not stored; empty when none is missing.</summary>
    public static IReadOnlyList<(string Field, string Message)> Missing(
        IEnumerable<PrivateWeightSource> sources, IReadOnlyCollection<WeightCredentialKind> stored) =>
        sources.Where(s => !stored.Contains(s.Kind))
            .Select(s => (s.Field, s.Kind switch
            {
                WeightCredentialKind.HuggingFace =>
                    $"'{s.Location}' is not a public catalog model, so it loads with your organisation's own Hugging Face token, and none is stored. "
                    + "A TenantAdmin adds it on the Weight credentials page (or POST /api/v1/weight-credentials with kind HuggingFace).",
                _ =>
                    $"'{s.Location}' loads with your organisation's own object-store keys, and none are stored. "
                    + "A TenantAdmin adds them on the Weight credentials page (or POST /api/v1/weight-credentials with kind ObjectStore).",
            }))
            .ToList();

    /// <summary>
    /// The environment a replica with private sources gets: the tenant's values for the kinds it needs, nothing else.
    /// Throws when a needed credential is absent, so a replica never starts falling back to another identity.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(IReadOnlyCollection<WeightCredentialKind> kinds, WeightCredentials? credentials)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kind in kinds)
        {
            if (credentials?.Has(kind) != true)
            {
                throw new InvalidOperationException(
                    $"The deployment's weights need the tenant's {Describe(kind)}, and the tenant has none stored; the replica is not started.");
            }
        }

        foreach (var variable in Variables.Where(v => kinds.Contains(v.Kind)))
        {
            if (credentials!.ValueOf(variable.SecretKey) is { Length: > 0 } value)
            {
                environment[variable.Name] = value;
            }
        }

        return environment;
    }

    public static string Describe(WeightCredentialKind kind) => kind switch
    {
        WeightCredentialKind.HuggingFace => "Hugging Face token",
        _ => "object-store keys",
    };
}
