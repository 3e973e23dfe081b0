using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Core.Tests.Deployments;

public class ModelConfigJsonTests
{
    internal const string Llama8BConfig = """
        {
          "architectures": ["LlamaForCausalLM"],
          "hidden_size": 4096,
          "max_position_embeddings": 131072,
          "num_attention_heads": 32,
          "num_hidden_layers": 32,
          "num_key_value_heads": 8,
          "torch_dtype": "bfloat16",
          "vocab_size": 128256
        }
        """;

    [Fact]
    public void Parse_DenseConfig_DerivesHeadDimFromHiddenSize()
    {
        var result = ModelConfigJson.Parse(Llama8BConfig, 8_030_261_248);

        Assert.Empty(result.Errors);
        Assert.Equal(
            new ModelArchitecture
            {
                Class = ModelClass.Dense,
                CheckpointDtype = WeightDtype.Bf16,
                Parameters = 8_030_261_248,
                Layers = 32,
                AttentionHeads = 32,
                KeyValueHeads = 8,
                HeadDim = 128,
                MaxContextLength = 131_072,
            },
            result.Architecture);
    }

    [Fact]
    public void Parse_DeepSeekStyleConfig_IsMlaInFp8()
    {
        const string Config = """
            {
              "hidden_size": 7168, "num_hidden_layers": 61, "num_attention_heads": 128, "num_key_value_heads": 128,
              "kv_lora_rank": 512, "qk_rope_head_dim": 64, "qk_nope_head_dim": 128, "v_head_dim": 128,
              "n_routed_experts": 256, "num_experts_per_tok": 8, "max_position_embeddings": 163840,
              "torch_dtype": "bfloat16", "quantization_config": { "quant_method": "fp8", "fmt": "e4m3" }
            }
            """;

        var architecture = ModelConfigJson.Parse(Config, 671_000_000_000).Architecture!;

        Assert.Equal(ModelClass.Mla, architecture.Class);
        Assert.Equal(WeightDtype.Fp8, architecture.CheckpointDtype);
        Assert.Equal((512, 64, 192, 256), (architecture.KvLoraRank, architecture.QkRopeHeadDim, architecture.HeadDim, architecture.Experts));
    }

    [Fact]
    public void Parse_MultimodalConfig_ReadsTextConfig()
    {
        const string Config = """
            {
              "torch_dtype": "bfloat16",
              "text_config": {
                "head_dim": 128, "hidden_size": 5120, "num_attention_heads": 40, "num_hidden_layers": 48,
                "num_key_value_heads": 8, "num_local_experts": 16, "num_experts_per_tok": 1, "max_position_embeddings": 10485760
              }
            }
            """;

        var architecture = ModelConfigJson.Parse(Config, 109_000_000_000).Architecture!;

        Assert.Equal(ModelClass.Moe, architecture.Class);
        Assert.Equal((48, 40, 8, 16), (architecture.Layers, architecture.AttentionHeads, architecture.KeyValueHeads, architecture.Experts));
    }

    [Fact]
    public void Parse_MissingFields_NamesEachOne()
    {
        var result = ModelConfigJson.Parse("""{"hidden_size": 4096, "num_attention_heads": "many"}""", 1_000);

        Assert.Null(result.Architecture);
        Assert.Equal(
            ["config.json has no num_hidden_layers.", "config.json field num_attention_heads must be a positive whole number, not \"many\".",
                "config.json has no max_position_embeddings."],
            result.Errors);
    }

    [Fact]
    public void Parse_NotJson_SaysSo() =>
        Assert.StartsWith("The pasted config.json is not valid JSON", Assert.Single(ModelConfigJson.Parse("{oops", 1).Errors));
}
