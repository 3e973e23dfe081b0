using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Core.Catalog;
using Portal.Core.Sizing;

namespace Portal.Core.Deployments;

/// <summary>Either an architecture or the sentences saying why a config.json could not give one.</summary>
public sealed record ModelConfigParseResult(ModelArchitecture? Architecture, IReadOnlyList<string> Errors);

/// <summary>
/// Reads the numbers the fit rule needs from a Hugging Face <c>config.json</c>. Multimodal configs keep them under
/// <c>text_config</c>. The parameter count is not in config.json, so the caller supplies it.
/// </summary>
public static class ModelConfigJson
{
    public static ModelConfigParseResult Parse(string json, long parameters)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true }) as JsonObject
                ?? throw new JsonException("The top level is not an object.");
        }
        catch (JsonException e)
        {
            return Failed($"The pasted config.json is not valid JSON: {e.Message}");
        }

        var text = root["text_config"] as JsonObject ?? root;
        var errors = new List<string>();

        int? Int(string name, bool required = true)
        {
            var node = text[name] ?? (ReferenceEquals(text, root) ? null : root[name]);
            if (node is JsonValue value && value.TryGetValue<long>(out var number) && number is > 0 and <= int.MaxValue)
            {
                return (int)number;
            }

            if (node is not null && node.GetValueKind() != JsonValueKind.Null)
            {
                errors.Add($"config.json field {name} must be a positive whole number, not {node.ToJsonString()}.");
            }
            else if (required)
            {
                errors.Add($"config.json has no {name}.");
            }

            return null;
        }

        var layers = Int("num_hidden_layers");
        var heads = Int("num_attention_heads");
        var kvHeads = Int("num_key_value_heads", required: false) ?? heads;
        var kvLoraRank = Int("kv_lora_rank", required: false);
        var ropeDim = Int("qk_rope_head_dim", required: false);
        var nopeDim = Int("qk_nope_head_dim", required: false);
        var headDim = Int("head_dim", required: false);
        var hidden = Int("hidden_size", required: headDim is null && kvLoraRank is null);
        var maxContext = Int("max_position_embeddings");
        var experts = Int("num_local_experts", required: false) ?? Int("n_routed_experts", required: false)
            ?? Int("num_experts", required: false);
        var expertsPerToken = Int("num_experts_per_tok", required: false);

        if (kvLoraRank is not null && nopeDim is not null && ropeDim is not null)
        {
            headDim = nopeDim + ropeDim;
        }

        if (headDim is null && hidden is not null && heads is not null)
        {
            if (hidden % heads != 0)
            {
                errors.Add($"hidden_size {hidden} is not a multiple of num_attention_heads {heads}; give head_dim.");
            }
            else
            {
                headDim = hidden / heads;
            }
        }

        if (parameters <= 0)
        {
            errors.Add("Give the model's total parameter count: config.json does not state it.");
        }

        if (errors.Count > 0 || layers is null || heads is null || kvHeads is null || headDim is null || maxContext is null)
        {
            return new ModelConfigParseResult(null, errors);
        }

        var architecture = new ModelArchitecture
        {
            Class = ModelArchitecture.InferClass(kvLoraRank, experts),
            CheckpointDtype = CheckpointDtype(root, text),
            Parameters = parameters,
            Experts = experts,
            ExpertsPerToken = expertsPerToken,
            Layers = layers.Value,
            AttentionHeads = heads.Value,
            KeyValueHeads = kvHeads.Value,
            HeadDim = headDim.Value,
            KvLoraRank = kvLoraRank,
            QkRopeHeadDim = kvLoraRank is null ? null : ropeDim,
            MaxContextLength = maxContext.Value,
        };
        var problems = architecture.Check();
        return problems.Count == 0 ? new ModelConfigParseResult(architecture, []) : new ModelConfigParseResult(null, problems);
    }

    /// <summary>A quantization_config wins over torch_dtype; fp32 checkpoints are served in 16 bits.</summary>
    private static WeightDtype CheckpointDtype(JsonObject root, JsonObject text)
    {
        var quantization = (root["quantization_config"] ?? text["quantization_config"]) as JsonObject;
        var method = (quantization?["quant_method"] as JsonValue)?.ToString().ToLowerInvariant();
        switch (method)
        {
            case "fp8":
                return WeightDtype.Fp8;
            case "awq" or "gptq":
                return WeightDtype.Int4;
            case "modelopt" when (quantization?["quant_algo"] as JsonValue)?.ToString().Contains("FP4", StringComparison.OrdinalIgnoreCase) == true:
                return WeightDtype.Fp4;
        }

        var dtype = ((root["torch_dtype"] ?? text["torch_dtype"] ?? root["dtype"]) as JsonValue)?.ToString();
        return dtype?.ToLower(CultureInfo.InvariantCulture) switch
        {
            "float16" or "fp16" => WeightDtype.Fp16,
            "float8_e4m3fn" or "fp8" => WeightDtype.Fp8,
            _ => WeightDtype.Bf16,
        };
    }

    private static ModelConfigParseResult Failed(string error) => new(null, [error]);
}
