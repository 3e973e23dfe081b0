namespace Portal.Core.Catalog;

/// <summary>A lookup named an id the catalog does not hold.</summary>
public sealed class UnknownCatalogIdException(string kind, string id, IEnumerable<string> known)
    : KeyNotFoundException($"Unknown {kind} '{id}'. Known {kind}s: {string.Join(", ", known)}.")
{
    public string Kind { get; } = kind;

    public string Id { get; } = id;
}
