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

    public ModelClass Class => Architecture.Class;
}
