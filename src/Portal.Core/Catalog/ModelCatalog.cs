using Portal.Core.Deployments;

namespace Portal.Core.Catalog;

/// <summary>
/// Models, GPU types and regions the portal offers. <see cref="Default"/> reads the embedded data files once;
/// tests build their own from parsed data.
/// </summary>
public sealed class ModelCatalog
{
    private static readonly Lazy<ModelCatalog> _default = new(CatalogData.LoadEmbedded);

    private readonly Dictionary<string, ModelDefinition> _models;
    private readonly Dictionary<string, GpuType> _gpus;
    private readonly Dictionary<string, Region> _regions;
    private readonly Dictionary<ModelClass, RuntimeSettings> _classDefaults;

    /// <summary>Checks the data is consistent (ids unique, references known) and throws <see cref="InvalidDataException"/> otherwise.</summary>
    public ModelCatalog(
        IEnumerable<ModelDefinition> models,
        IEnumerable<GpuType> gpus,
        IEnumerable<Region> regions,
        IReadOnlyDictionary<ModelClass, RuntimeSettings> classDefaults)
    {
        Models = models.ToList();
        Gpus = gpus.ToList();
        Regions = regions.ToList();
        _models = Index(Models, m => m.Id, "model");
        _gpus = Index(Gpus, g => g.Id, "GPU type");
        _regions = Index(Regions, r => r.Id, "region");
        _classDefaults = classDefaults.ToDictionary();
        Validate();
    }

    public static ModelCatalog Default => _default.Value;

    public IReadOnlyList<ModelDefinition> Models { get; }

    public IReadOnlyList<GpuType> Gpus { get; }

    public IReadOnlyList<Region> Regions { get; }

    public ModelDefinition GetModel(string id) => FindModel(id) ?? throw new UnknownCatalogIdException("model", id, _models.Keys);

    public ModelDefinition? FindModel(string? id) => id is not null && _models.TryGetValue(id, out var model) ? model : null;

    /// <summary>A model by catalog id or by Hugging Face repository (how serverless providers often name it); null when neither matches.</summary>
    public ModelDefinition? FindByIdOrRepository(string? name) => name is null
        ? null
        : FindModel(name) ?? Models.FirstOrDefault(m => string.Equals(m.HuggingFaceRepository, name, StringComparison.OrdinalIgnoreCase));

    public GpuType GetGpu(string id) => FindGpu(id) ?? throw new UnknownCatalogIdException("GPU type", id, _gpus.Keys);

    public GpuType? FindGpu(string? id) => id is not null && _gpus.TryGetValue(id, out var gpu) ? gpu : null;

    public Region GetRegion(string id) => FindRegion(id) ?? throw new UnknownCatalogIdException("region", id, _regions.Keys);

    public Region? FindRegion(string? id) => id is not null && _regions.TryGetValue(id, out var region) ? region : null;

    /// <summary>The runtime settings the wizard starts from: the class defaults, context capped at the model's maximum.</summary>
    public RuntimeSettings DefaultRuntime(ModelArchitecture architecture)
    {
        var defaults = _classDefaults[architecture.Class];
        return defaults with { MaxContextLength = Math.Min(defaults.MaxContextLength, architecture.MaxContextLength) };
    }

    /// <summary>Regions offering a GPU type, in catalog order.</summary>
    public IEnumerable<Region> RegionsOffering(string gpuTypeId) => Regions.Where(r => r.Offers(gpuTypeId));

    private static Dictionary<string, T> Index<T>(IEnumerable<T> items, Func<T, string> id, string kind)
    {
        var index = new Dictionary<string, T>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in items)
        {
            if (!index.TryAdd(id(item), item))
            {
                throw new InvalidDataException($"The catalog lists {kind} '{id(item)}' twice.");
            }
        }

        return index;
    }

    private void Validate()
    {
        foreach (var modelClass in Enum.GetValues<ModelClass>())
        {
            if (!_classDefaults.ContainsKey(modelClass))
            {
                throw new InvalidDataException($"The catalog has no runtime defaults for {modelClass} models.");
            }
        }

        foreach (var model in Models)
        {
            var problems = model.Architecture.Check();
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"Model '{model.Id}': {string.Join(" ", problems)}");
            }

            var implied = ModelArchitecture.InferClass(model.Architecture.KvLoraRank, model.Architecture.Experts);
            if (implied != model.Class)
            {
                throw new InvalidDataException($"Model '{model.Id}' is listed as {model.Class} but its numbers say {implied}.");
            }

            if (model.Architecture.Experts is not null && model.Architecture.ActiveParameters is null)
            {
                throw new InvalidDataException($"Model '{model.Id}' has experts but no active parameter count.");
            }
        }

        foreach (var region in Regions)
        {
            foreach (var gpu in region.GpuTypes.Where(g => !_gpus.ContainsKey(g)))
            {
                throw new InvalidDataException($"Region '{region.Id}' offers unknown GPU type '{gpu}'.");
            }

            var others = _regions.Keys.Where(k => !k.Equals(region.Id, StringComparison.OrdinalIgnoreCase));
            if (!region.Nearest.ToHashSet(StringComparer.OrdinalIgnoreCase).SetEquals(others) || region.Nearest.Count != _regions.Count - 1)
            {
                throw new InvalidDataException($"Region '{region.Id}' must list every other region exactly once in its nearest order.");
            }
        }
    }
}
