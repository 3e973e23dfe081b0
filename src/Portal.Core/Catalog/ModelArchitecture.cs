using Portal.Core.Sizing;

namespace Portal.Core.Catalog;

/// <summary>The numbers of a model's config.json that decide its memory: weights and KV cache per token.</summary>
public sealed record ModelArchitecture
{
    public required ModelClass Class { get; init; }

    public WeightDtype CheckpointDtype { get; init; } = WeightDtype.Bf16;

    /// <summary>Total parameters; for a mixture of experts, every expert counts (all are resident).</summary>
    public required long Parameters { get; init; }

    /// <summary>Parameters used per token (mixture of experts only).</summary>
    public long? ActiveParameters { get; init; }

    public int? Experts { get; init; }

    public int? ExpertsPerToken { get; init; }

    public required int Layers { get; init; }

    public required int AttentionHeads { get; init; }

    public required int KeyValueHeads { get; init; }

    public required int HeadDim { get; init; }

    /// <summary>Rank of the compressed KV latent (multi-head latent attention only).</summary>
    public int? KvLoraRank { get; init; }

    /// <summary>Dimension of the decoupled rotary key kept beside the latent (multi-head latent attention only).</summary>
    public int? QkRopeHeadDim { get; init; }

    public required int MaxContextLength { get; init; }

    public bool UsesLatentAttention => KvLoraRank is not null;

    /// <summary>The class the numbers imply: a KV latent makes MLA, experts make MoE.</summary>
    public static ModelClass InferClass(int? kvLoraRank, int? experts) =>
        kvLoraRank is not null ? ModelClass.Mla : experts is > 1 ? ModelClass.Moe : ModelClass.Dense;

    /// <summary>Problems with the numbers themselves, as sentences; empty when they are consistent.</summary>
    public IReadOnlyList<string> Check()
    {
        var problems = new List<string>();
        if (Parameters <= 0)
        {
            problems.Add("The parameter count must be greater than 0.");
        }

        foreach (var (name, value) in new[]
        {
            ("layers", Layers), ("attention heads", AttentionHeads), ("KV heads", KeyValueHeads),
            ("head dimension", HeadDim), ("maximum context length", MaxContextLength),
        })
        {
            if (value <= 0)
            {
                problems.Add($"The number of {name} must be greater than 0.");
            }
        }

        if (AttentionHeads > 0 && KeyValueHeads > 0 && AttentionHeads % KeyValueHeads != 0)
        {
            problems.Add($"{AttentionHeads} attention heads cannot be shared evenly by {KeyValueHeads} KV heads.");
        }

        if (ActiveParameters is { } active && (active <= 0 || active > Parameters))
        {
            problems.Add("Active parameters must be greater than 0 and at most the total parameters.");
        }

        if (KvLoraRank is <= 0 || QkRopeHeadDim is <= 0 || (KvLoraRank is null) != (QkRopeHeadDim is null))
        {
            problems.Add("Latent attention needs both kv_lora_rank and qk_rope_head_dim, each greater than 0.");
        }

        if (Class == ModelClass.Mla && KvLoraRank is null)
        {
            problems.Add("An MLA model needs kv_lora_rank and qk_rope_head_dim.");
        }

        return problems;
    }
}
