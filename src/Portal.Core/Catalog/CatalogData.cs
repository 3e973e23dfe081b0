using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Core.Deployments;

namespace Portal.Core.Catalog;

/// <summary>Reads the catalog's JSON files: <c>models.json</c>, <c>gpus.json</c>, <c>regions.json</c>.</summary>
public static class CatalogData
{
    public const string ResourcePrefix = "Portal.Core.Catalog.Data.";

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static ModelCatalog Parse(string modelsJson, string gpusJson, string regionsJson)
    {
        var models = Read<ModelsFile>(modelsJson, "models.json");
        var gpus = Read<GpusFile>(gpusJson, "gpus.json");
        var regions = Read<RegionsFile>(regionsJson, "regions.json");
        return new ModelCatalog(models.Models, gpus.Gpus, regions.Regions, models.ClassDefaults);
    }

    internal static ModelCatalog LoadEmbedded() =>
        Parse(ReadResource("models.json"), ReadResource("gpus.json"), ReadResource("regions.json"));

    private static string ReadResource(string fileName)
    {
        using var stream = typeof(CatalogData).Assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidDataException($"The catalog file {fileName} is not embedded in Portal.Core.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static T Read<T>(string json, string fileName)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonOptions)
                ?? throw new InvalidDataException($"The catalog file {fileName} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The catalog file {fileName} is invalid: {e.Message}", e);
        }
    }

    private sealed record ModelsFile(IReadOnlyDictionary<ModelClass, RuntimeSettings> ClassDefaults, IReadOnlyList<ModelDefinition> Models);

    private sealed record GpusFile(IReadOnlyList<GpuType> Gpus);

    private sealed record RegionsFile(IReadOnlyList<Region> Regions);
}
