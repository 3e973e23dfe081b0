using Portal.Core.Catalog;

namespace Portal.Core.Deployments;

public enum ModelSource
{
    /// <summary>A model of the catalog, by id.</summary>
    Catalog,

    /// <summary>Bring your own: a Hugging Face repository at a revision.</summary>
    HuggingFace,

    /// <summary>Bring your own: weights under an <c>s3://</c> URI.</summary>
    ObjectStore,

    /// <summary>A LoRA adapter (Hugging Face repository or <c>s3://</c> URI) on a catalog base model.</summary>
    LoraAdapter,
}

/// <summary>
/// Which weights a deployment serves. A bring-your-own model also says what its architecture is, one of three ways:
/// <see cref="CatalogId"/> (a fine-tune of a catalog model), <see cref="Architecture"/> (the numbers), or
/// <see cref="ConfigJson"/> (its pasted config.json) with <see cref="Parameters"/>.
/// </summary>
public sealed record ModelReference
{
    public required ModelSource Source { get; init; }

    /// <summary>The catalog model (<see cref="ModelSource.Catalog"/>), the LoRA base, or the architecture a bring-your-own model shares.</summary>
    public string? CatalogId { get; init; }

    /// <summary>Hugging Face repository id, <c>owner/name</c>.</summary>
    public string? Repository { get; init; }

    /// <summary>Branch, tag or commit of <see cref="Repository"/>; null = the default branch.</summary>
    public string? Revision { get; init; }

    /// <summary><c>s3://bucket/path</c> of the weights.</summary>
    public string? ObjectStoreUri { get; init; }

    /// <summary>The LoRA adapter: a Hugging Face repository id or an <c>s3://</c> URI.</summary>
    public string? Adapter { get; init; }

    public ModelArchitecture? Architecture { get; init; }

    public string? ConfigJson { get; init; }

    /// <summary>Total parameters, required with <see cref="ConfigJson"/> (config.json does not state them).</summary>
    public long? Parameters { get; init; }

    public static ModelReference FromCatalog(string catalogId) => new() { Source = ModelSource.Catalog, CatalogId = catalogId };

    public static ModelReference FromHuggingFace(string repository, string? revision = null, string? architectureOf = null) =>
        new() { Source = ModelSource.HuggingFace, Repository = repository, Revision = revision, CatalogId = architectureOf };

    public static ModelReference FromObjectStore(string uri, string? architectureOf = null) =>
        new() { Source = ModelSource.ObjectStore, ObjectStoreUri = uri, CatalogId = architectureOf };

    public static ModelReference LoraOn(string baseCatalogId, string adapter) =>
        new() { Source = ModelSource.LoraAdapter, CatalogId = baseCatalogId, Adapter = adapter };
}
