namespace Portal.Core.Catalog;

/// <summary>What shapes a model's memory and its runtime defaults.</summary>
public enum ModelClass
{
    /// <summary>Every parameter is used for every token.</summary>
    Dense,

    /// <summary>Mixture of experts: all experts are resident, a few are active per token.</summary>
    Moe,

    /// <summary>Multi-head latent attention: the KV cache holds one compressed latent per layer.</summary>
    Mla,
}
