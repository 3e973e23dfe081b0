using Portal.Core.Sizing;

namespace Portal.Core.Deployments;

public enum InferenceEngine
{
    Vllm,
    Sglang,
    TensorRtLlm,
}

public enum AttentionBackend
{
    FlashAttention,
    FlashInfer,

    /// <summary>CUTLASS kernels for multi-head latent attention; MLA models on Blackwell GPUs only.</summary>
    CutlassMla,
}

public enum SchedulingPolicy
{
    Fcfs,
    Priority,
}

/// <summary>
/// How the engine runs the model. The catalog holds defaults per model class; the wizard starts from them.
/// <see cref="MaxContextLength"/> × <see cref="MaxConcurrentSequences"/> is the KV cache the fit rule reserves.
/// </summary>
public sealed record RuntimeSettings
{
    public const double DefaultGpuMemoryUtilization = 0.90;

    public Quantization Quantization { get; init; } = Quantization.None;

    public KvCacheDtype KvCacheDtype { get; init; } = KvCacheDtype.Auto;

    public AttentionBackend AttentionBackend { get; init; } = AttentionBackend.FlashAttention;

    /// <summary>Prompt plus completion tokens per sequence (vLLM <c>--max-model-len</c>).</summary>
    public int MaxContextLength { get; init; } = 8192;

    /// <summary>Sequences decoded at once (vLLM <c>--max-num-seqs</c>).</summary>
    public int MaxConcurrentSequences { get; init; } = 16;

    public SchedulingPolicy SchedulingPolicy { get; init; } = SchedulingPolicy.Fcfs;

    public bool ChunkedPrefill { get; init; } = true;

    /// <summary>Fraction of each GPU's memory the engine may take.</summary>
    public double GpuMemoryUtilization { get; init; } = DefaultGpuMemoryUtilization;
}

public static class EngineNames
{
    /// <summary>"vLLM", "SGLang", "TensorRT-LLM".</summary>
    public static string Display(InferenceEngine engine) => engine switch
    {
        InferenceEngine.Vllm => "vLLM",
        InferenceEngine.Sglang => "SGLang",
        InferenceEngine.TensorRtLlm => "TensorRT-LLM",
        _ => engine.ToString(),
    };
}
