using System.Globalization;
using Portal.Core.Catalog;
using Portal.Core.Quotas;
using Portal.Core.Sizing;

namespace Portal.Core.Deployments;

/// <summary>
/// The one check of a <see cref="DeploymentSpec"/>: the wizard, the management API and the CLI all call it, and only a
/// valid spec is stored or launched. Errors are sentences keyed by <see cref="DeploymentFields"/>.
/// </summary>
public static class DeploymentValidator
{
    public const int MaxConcurrentSequencesLimit = 1024;

    public static DeploymentValidationResult Validate(DeploymentSpec spec, ModelCatalog catalog, DeploymentValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(context);

        var errors = new ErrorList();
        CheckName(spec, context, errors);
        CheckReplicas(spec, errors);
        CheckQuota(spec, context, errors);
        var model = ResolveModel(spec, catalog, errors);
        var privateSources = spec.Model is null ? [] : WeightSources.PrivateSources(spec.Model, catalog);
        if (context.StoredWeightCredentials is { } stored)
        {
            // A location that is malformed already has its error; asking for credentials to read it would add noise.
            foreach (var (field, message) in WeightSources.Missing(privateSources, stored).Where(m => !errors.Has(m.Field)))
            {
                errors.Add(field, message);
            }
        }

        var gpu = ResolveGpu(spec, catalog, errors);
        var region = ResolveRegion(spec, catalog, context, gpu, errors);
        var runtime = spec.Runtime ?? (model is null ? null : catalog.DefaultRuntime(model.Architecture));
        if (runtime is not null)
        {
            CheckRuntime(spec, runtime, model, gpu, errors);
        }

        FitResult? fit = null;
        if (model is not null && gpu is not null && runtime is not null && !errors.Has(DeploymentFields.GpusPerReplica))
        {
            fit = FitCalculator.Check(model.DisplayName, model.Architecture, gpu, spec.GpusPerReplica, runtime);
            foreach (var problem in fit.Problems)
            {
                errors.Add(FieldOf(problem.Kind), problem.Message);
            }

            if (fit.Problems.Any(p => p.Kind == FitProblemKind.Memory))
            {
                errors.Add(DeploymentFields.GpusPerReplica, Suggestion(model, runtime, catalog, context));
            }
        }

        if (!errors.IsEmpty || model is null || gpu is null || region is null || runtime is null || fit is null)
        {
            return new DeploymentValidationResult(errors.ToReadOnly(), null);
        }

        return new DeploymentValidationResult(errors.ToReadOnly(), new ResolvedDeployment
        {
            Spec = spec,
            ServedModelName = string.IsNullOrWhiteSpace(spec.ServedModelName) ? model.DefaultServedName(spec) : spec.ServedModelName,
            ModelDisplayName = model.DisplayName,
            ModelPath = model.Path,
            PrivateSources = privateSources,
            Architecture = model.Architecture,
            Runtime = runtime,
            Gpu = gpu,
            Region = region,
            Fit = fit,
        });
    }

    private static void CheckName(DeploymentSpec spec, DeploymentValidationContext context, ErrorList errors)
    {
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            errors.Add(DeploymentFields.Name, "Give the deployment a name.");
        }
        else if (!ModelLocations.IsDeploymentName(spec.Name))
        {
            errors.Add(DeploymentFields.Name,
                $"'{spec.Name}' is not a valid name: use {ModelLocations.NameMinLength}–{ModelLocations.NameMaxLength} lowercase letters, digits "
                + "and hyphens, starting with a letter and not ending with a hyphen (it becomes part of Kubernetes names).");
        }
        else if (context.NamesInUse.Contains(spec.Name, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(DeploymentFields.Name, $"A deployment named '{spec.Name}' already exists; choose another name.");
        }

        if (spec.ServedModelName is { } served && (served.Length > 256 || served.Any(char.IsWhiteSpace)))
        {
            errors.Add(DeploymentFields.ServedModelName, "The served model name must be at most 256 characters without spaces.");
        }
    }

    private static void CheckReplicas(DeploymentSpec spec, ErrorList errors)
    {
        if (spec.BaselineReplicas < 1)
        {
            errors.Add(DeploymentFields.BaselineReplicas,
                $"Baseline replicas must be at least 1 (got {spec.BaselineReplicas}): a dedicated deployment keeps its weights loaded.");
        }

        if (spec.MaxReplicas < 1)
        {
            errors.Add(DeploymentFields.MaxReplicas, $"Maximum replicas must be at least 1 (got {spec.MaxReplicas}).");
        }
        else if (spec.MaxReplicas < spec.BaselineReplicas)
        {
            errors.Add(DeploymentFields.MaxReplicas,
                $"Maximum replicas ({spec.MaxReplicas}) cannot be below the baseline ({spec.BaselineReplicas}).");
        }
    }

    private static void CheckQuota(DeploymentSpec spec, DeploymentValidationContext context, ErrorList errors)
    {
        if (context.Quota is not { } quota || spec.BaselineReplicas < 1 || spec.MaxReplicas < 1 || spec.GpusPerReplica < 1)
        {
            return;
        }

        var claim = new DeploymentClaim(spec.BaselineReplicas, spec.MaxReplicas, spec.GpusPerReplica);
        foreach (var refusal in QuotaRule.CheckDeployment(quota.Limits, quota.Others, claim, quota.IsNew))
        {
            errors.Add(refusal.Field ?? DeploymentFields.Name, refusal.Message);
        }
    }

    private static ModelInfo? ResolveModel(DeploymentSpec spec, ModelCatalog catalog, ErrorList errors)
    {
        var reference = spec.Model;
        if (reference is null)
        {
            errors.Add(DeploymentFields.Model, "Choose a model.");
            return null;
        }

        var catalogModel = catalog.FindModel(reference.CatalogId);
        if (reference.CatalogId is not null && catalogModel is null)
        {
            errors.Add(DeploymentFields.ModelCatalogId,
                $"There is no model '{reference.CatalogId}' in the catalog. Known models: {string.Join(", ", catalog.Models.Select(m => m.Id))}.");
        }

        switch (reference.Source)
        {
            case ModelSource.Catalog:
                if (reference.CatalogId is null)
                {
                    errors.Add(DeploymentFields.ModelCatalogId, "Choose a model from the catalog.");
                }

                return catalogModel is null ? null
                    : new ModelInfo(catalogModel.DisplayName, catalogModel.HuggingFaceRepository, catalogModel.Architecture, UseRepository: true);

            case ModelSource.LoraAdapter:
                if (reference.CatalogId is null)
                {
                    errors.Add(DeploymentFields.ModelCatalogId, "A LoRA adapter needs its base model from the catalog.");
                }

                if (!ModelLocations.IsHuggingFaceRepository(reference.Adapter) && !ModelLocations.IsObjectStoreUri(reference.Adapter))
                {
                    errors.Add(DeploymentFields.ModelAdapter,
                        $"'{reference.Adapter}' is not a Hugging Face repository id (owner/name) or an s3:// URI of the adapter.");
                }

                return catalogModel is null ? null
                    : new ModelInfo($"{catalogModel.DisplayName} + LoRA", catalogModel.HuggingFaceRepository, catalogModel.Architecture, UseRepository: false);

            case ModelSource.HuggingFace:
                var repositoryOk = ModelLocations.IsHuggingFaceRepository(reference.Repository);
                if (!repositoryOk)
                {
                    errors.Add(DeploymentFields.ModelRepository,
                        $"'{reference.Repository}' is not a Hugging Face repository id: use owner/name, each part starting with a letter or "
                        + $"digit and using only letters, digits, '.', '_' and '-', at most {ModelLocations.HuggingFaceRepositoryMaxLength} characters.");
                }

                if (reference.Revision is not null && !ModelLocations.IsRevision(reference.Revision))
                {
                    errors.Add(DeploymentFields.ModelRevision, $"'{reference.Revision}' is not a branch, tag or commit hash.");
                }

                var hfArchitecture = ResolveOwnArchitecture(reference, catalogModel, errors);
                return repositoryOk && hfArchitecture is not null
                    ? new ModelInfo(reference.Repository!, reference.Repository!, hfArchitecture, UseRepository: true)
                    : null;

            case ModelSource.ObjectStore:
                var uriOk = ModelLocations.IsObjectStoreUri(reference.ObjectStoreUri);
                if (!uriOk)
                {
                    errors.Add(DeploymentFields.ModelObjectStoreUri,
                        $"'{reference.ObjectStoreUri}' is not an object-store URI: use s3://bucket/path with a valid bucket name.");
                }

                if (spec.Engine != InferenceEngine.Vllm)
                {
                    errors.Add(DeploymentFields.Engine,
                        $"{EngineNames.Display(spec.Engine)} loads weights from Hugging Face or a local path; weights at an s3:// URI need vLLM.");
                }

                var s3Architecture = ResolveOwnArchitecture(reference, catalogModel, errors);
                return uriOk && s3Architecture is not null
                    ? new ModelInfo(reference.ObjectStoreUri!, reference.ObjectStoreUri!, s3Architecture, UseRepository: false)
                    : null;

            default:
                errors.Add(DeploymentFields.Model, $"Unknown model source {reference.Source}.");
                return null;
        }
    }

    private static ModelArchitecture? ResolveOwnArchitecture(ModelReference reference, ModelDefinition? catalogModel, ErrorList errors)
    {
        if (reference.Architecture is { } given)
        {
            var problems = given.Check();
            foreach (var problem in problems)
            {
                errors.Add(DeploymentFields.ModelArchitecture, problem);
            }

            return problems.Count == 0 ? given : null;
        }

        if (!string.IsNullOrWhiteSpace(reference.ConfigJson))
        {
            if (reference.Parameters is null or <= 0)
            {
                errors.Add(DeploymentFields.ModelParameters, "Give the model's total parameter count: config.json does not state it.");
                return null;
            }

            var parsed = ModelConfigJson.Parse(reference.ConfigJson, reference.Parameters.Value);
            foreach (var error in parsed.Errors)
            {
                errors.Add(DeploymentFields.ModelConfigJson, error);
            }

            return parsed.Architecture;
        }

        if (catalogModel is not null)
        {
            return catalogModel.Architecture;
        }

        if (reference.CatalogId is null)
        {
            errors.Add(DeploymentFields.ModelConfigJson,
                "A bring-your-own model needs its architecture to check it fits: name the catalog model it derives from, "
                + "paste its config.json, or enter its layers, heads and parameters.");
        }

        return null;
    }

    private static GpuType? ResolveGpu(DeploymentSpec spec, ModelCatalog catalog, ErrorList errors)
    {
        var gpu = catalog.FindGpu(spec.GpuType);
        if (gpu is null)
        {
            errors.Add(DeploymentFields.GpuType,
                $"There is no GPU type '{spec.GpuType}'. Choose one of {string.Join(", ", catalog.Gpus.Select(g => g.Id))}.");
        }

        return gpu;
    }

    private static Region? ResolveRegion(
        DeploymentSpec spec, ModelCatalog catalog, DeploymentValidationContext context, GpuType? gpu, ErrorList errors)
    {
        var region = catalog.FindRegion(spec.Region);
        if (region is null)
        {
            errors.Add(DeploymentFields.Region,
                $"There is no region '{spec.Region}'. Choose one of {string.Join(", ", catalog.Regions.Select(r => r.Id))}.");
            return null;
        }

        if (context.AllowedRegions is { } allowed && !allowed.Contains(region.Id, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(DeploymentFields.Region,
                $"{region.DisplayName} ({region.Id}) is outside this organisation's region lock, which allows only "
                + $"{(allowed.Count == 0 ? "no region" : string.Join(", ", allowed))}.");
        }

        if (gpu is not null && !region.Offers(gpu.Id))
        {
            var elsewhere = catalog.RegionsOffering(gpu.Id)
                .Where(r => context.AllowedRegions is null || context.AllowedRegions.Contains(r.Id, StringComparer.OrdinalIgnoreCase))
                .Select(r => r.Id)
                .ToList();
            errors.Add(DeploymentFields.GpuType,
                $"{region.DisplayName} does not offer {gpu.DisplayName}; it offers {string.Join(", ", region.GpuTypes)}."
                + (elsewhere.Count > 0 ? $" {gpu.DisplayName} is available in {string.Join(", ", elsewhere)}." : string.Empty));
        }

        return region;
    }

    private static void CheckRuntime(DeploymentSpec spec, RuntimeSettings runtime, ModelInfo? model, GpuType? gpu, ErrorList errors)
    {
        if (model is not null && runtime.MaxContextLength > model.Architecture.MaxContextLength)
        {
            errors.Add(DeploymentFields.MaxContextLength,
                $"{model.DisplayName} supports at most {Number(model.Architecture.MaxContextLength)} tokens of context, "
                + $"not {Number(runtime.MaxContextLength)}.");
        }

        if (runtime.MaxContextLength < 1)
        {
            errors.Add(DeploymentFields.MaxContextLength, "The maximum context length must be at least 1 token.");
        }

        if (runtime.MaxConcurrentSequences is < 1 or > MaxConcurrentSequencesLimit)
        {
            errors.Add(DeploymentFields.MaxConcurrentSequences,
                $"Maximum concurrent sequences must be between 1 and {Number(MaxConcurrentSequencesLimit)} (got {runtime.MaxConcurrentSequences}).");
        }

        if (runtime.GpuMemoryUtilization is <= 0.1 or > 0.98 || double.IsNaN(runtime.GpuMemoryUtilization))
        {
            errors.Add(DeploymentFields.GpuMemoryUtilization,
                "GPU memory utilisation must be above 0.10 and at most 0.98; the rest is left to the driver and other processes.");
        }

        if (runtime.Quantization is Quantization.Awq or Quantization.Gptq && spec.Model?.Source is ModelSource.Catalog or ModelSource.LoraAdapter)
        {
            errors.Add(DeploymentFields.Quantization,
                $"{runtime.Quantization.ToString().ToUpperInvariant()} needs a checkpoint already quantized that way; "
                + "bring your own AWQ or GPTQ repository, or choose FP8.");
        }

        if (runtime.AttentionBackend == AttentionBackend.CutlassMla)
        {
            if (model is not null && !model.Architecture.UsesLatentAttention)
            {
                errors.Add(DeploymentFields.AttentionBackend,
                    $"CUTLASS MLA serves multi-head latent attention only; {model.DisplayName} uses standard attention.");
            }
            else if (gpu is not null && !gpu.IsBlackwell)
            {
                errors.Add(DeploymentFields.AttentionBackend, $"CUTLASS MLA needs a Blackwell GPU (B200); {gpu.DisplayName} is {gpu.Architecture}.");
            }
        }

        if (spec.Engine == InferenceEngine.TensorRtLlm)
        {
            if (runtime.Quantization != Quantization.None)
            {
                errors.Add(DeploymentFields.Quantization,
                    "TensorRT-LLM takes its quantization from the checkpoint: bring a checkpoint already quantized and keep quantization at none.");
            }

            if (runtime.KvCacheDtype != KvCacheDtype.Auto)
            {
                errors.Add(DeploymentFields.KvCacheDtype,
                    "TensorRT-LLM takes the KV-cache dtype from the checkpoint's quantization; keep it at auto.");
            }

            if (spec.Model?.Source == ModelSource.LoraAdapter)
            {
                errors.Add(DeploymentFields.Engine, "LoRA adapters are served with vLLM or SGLang, not TensorRT-LLM.");
            }
        }
    }

    private static string Suggestion(ModelInfo model, RuntimeSettings runtime, ModelCatalog catalog, DeploymentValidationContext context)
    {
        var smallest = ConfigurationSearch.FindSmallest(model.DisplayName, model.Architecture, runtime, catalog, context.AllowedRegions);
        return smallest is null
            ? $"No GPU type offered in the allowed regions fits {model.DisplayName} with these settings; "
                + "lower the context length or concurrent sequences, or quantize the weights."
            : $"The smallest configuration that fits is {smallest} (needs {Bytes.FormatGiB(smallest.Fit.NeededBytes)} of "
                + $"{Bytes.FormatGiB(smallest.Fit.AvailableBytes)}), offered in {string.Join(", ", smallest.Regions.Select(r => r.Id))}.";
    }

    private static string FieldOf(FitProblemKind kind) => kind switch
    {
        FitProblemKind.WeightPrecision => DeploymentFields.Quantization,
        FitProblemKind.KvCachePrecision => DeploymentFields.KvCacheDtype,
        _ => DeploymentFields.GpusPerReplica,
    };

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private sealed record ModelInfo(string DisplayName, string Path, ModelArchitecture Architecture, bool UseRepository)
    {
        public string DefaultServedName(DeploymentSpec spec) => UseRepository ? Path : spec.Name;
    }

    private sealed class ErrorList
    {
        private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

        public bool IsEmpty => _errors.Count == 0;

        public bool Has(string field) => _errors.ContainsKey(field);

        public void Add(string field, string message)
        {
            if (!_errors.TryGetValue(field, out var messages))
            {
                _errors[field] = messages = [];
            }

            messages.Add(message);
        }

        public IReadOnlyDictionary<string, IReadOnlyList<string>> ToReadOnly() =>
            _errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value.AsReadOnly(), StringComparer.Ordinal);
    }
}
