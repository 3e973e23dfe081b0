using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Components.Pages.Deploy;

/// <summary>What the person has chosen so far; every change is checked by the one validator in Core.</summary>
public sealed class WizardState
{
    public static readonly string[] Steps = ["Model", "GPUs & runtime", "Replicas", "Region", "Review"];

    public string Name { get; set; } = "";
    public ModelSource Source { get; set; } = ModelSource.Catalog;
    public string? CatalogId { get; set; } = "llama-3.1-8b-instruct";
    public string? Repository { get; set; }
    public string? Revision { get; set; }
    public string? ObjectStoreUri { get; set; }
    public string? Adapter { get; set; }
    public string? ServedModelName { get; set; }

    /// <summary>Bring-your-own weights of a custom architecture: its config.json and total parameter count.</summary>
    public bool UseConfigJson { get; set; }
    public string? ConfigJson { get; set; }
    public double? ParametersBillions { get; set; }
    public InferenceEngine Engine { get; set; } = InferenceEngine.Vllm;
    public RuntimeSettings Runtime { get; set; } = new();
    public string GpuType { get; set; } = "h100-80gb";
    public int GpusPerReplica { get; set; } = 1;
    public int BaselineReplicas { get; set; } = 1;
    public int MaxReplicas { get; set; } = 2;
    public string Region { get; set; } = "us-east";

    public DeploymentSpec ToSpec(int? gpusPerReplica = null) => new()
    {
        Name = Name.Trim(),
        Model = WithOwnArchitecture(Source switch
        {
            ModelSource.HuggingFace => ModelReference.FromHuggingFace(Repository?.Trim() ?? "", Revision, CatalogId),
            ModelSource.ObjectStore => ModelReference.FromObjectStore(ObjectStoreUri?.Trim() ?? "", CatalogId),
            ModelSource.LoraAdapter => ModelReference.LoraOn(CatalogId ?? "", Adapter?.Trim() ?? ""),
            _ => ModelReference.FromCatalog(CatalogId ?? ""),
        }),
        Engine = Engine,
        Runtime = Runtime,
        GpuType = GpuType,
        GpusPerReplica = gpusPerReplica ?? GpusPerReplica,
        BaselineReplicas = BaselineReplicas,
        MaxReplicas = MaxReplicas,
        Region = Region,
        ServedModelName = string.IsNullOrWhiteSpace(ServedModelName) ? null : ServedModelName.Trim(),
    };

    public bool OwnWeights => Source is ModelSource.HuggingFace or ModelSource.ObjectStore;

    private ModelReference WithOwnArchitecture(ModelReference reference) => OwnWeights && UseConfigJson
        ? reference with { CatalogId = null, ConfigJson = ConfigJson, Parameters = ParametersBillions is { } b ? (long)Math.Round(b * 1e9) : null }
        : reference;

    /// <summary>Starts from the model class's defaults when the model changes.</summary>
    public void UseDefaultsFor(ModelCatalog catalog)
    {
        if (catalog.FindModel(CatalogId) is { } model)
        {
            Runtime = catalog.DefaultRuntime(model.Architecture);
            if (string.IsNullOrWhiteSpace(Name))
            {
                Name = model.Id.Replace('.', '-').Replace('_', '-');
            }
        }
    }

    /// <summary>Starts from a proposed spec of a catalog model (the smallest configuration of a migration).</summary>
    public void Apply(DeploymentSpec spec)
    {
        Name = spec.Name;
        Source = spec.Model.Source;
        CatalogId = spec.Model.CatalogId;
        Engine = spec.Engine;
        Runtime = spec.Runtime ?? Runtime;
        GpuType = spec.GpuType;
        GpusPerReplica = spec.GpusPerReplica;
        BaselineReplicas = spec.BaselineReplicas;
        MaxReplicas = spec.MaxReplicas;
        Region = spec.Region;
        ServedModelName = spec.ServedModelName;
    }

    /// <summary>
    /// Keeps the region consistent with the GPU type and the region lock: the first allowed region offering the GPU
    /// type when the current one does not offer it or lies outside the lock.
    /// </summary>
    public void FitRegionTo(ModelCatalog catalog, IReadOnlyCollection<string>? allowedRegions = null)
    {
        bool Allowed(string id) => allowedRegions is null || allowedRegions.Contains(id, StringComparer.OrdinalIgnoreCase);
        if (catalog.FindRegion(Region) is not { } region || !region.Offers(GpuType) || !Allowed(region.Id))
        {
            Region = catalog.RegionsOffering(GpuType).FirstOrDefault(r => Allowed(r.Id))?.Id ?? Region;
        }
    }

    /// <summary>Which step a validator field belongs to, so each step shows and blocks on its own errors.</summary>
    public static int StepOf(string field) => field switch
    {
        DeploymentFields.BaselineReplicas or DeploymentFields.MaxReplicas => 2,
        DeploymentFields.Region => 3,
        DeploymentFields.GpuType or DeploymentFields.GpusPerReplica or DeploymentFields.Engine => 1,
        _ when field.StartsWith("Runtime", StringComparison.Ordinal) => 1,
        _ => 0,
    };

    public static readonly int[] GpuCounts = [1, 2, 4, 8];

    public static IEnumerable<Quantization> Quantizations => Enum.GetValues<Quantization>();

    public static IEnumerable<KvCacheDtype> KvCacheDtypes => Enum.GetValues<KvCacheDtype>();
}
