namespace Portal.Core.Sizing;

/// <summary>The dtype a checkpoint's weights are published in.</summary>
public enum WeightDtype
{
    Bf16,
    Fp16,
    Fp8,
    Int8,
    Int4,
    Fp4,
}

/// <summary>How the engine stores the weights; <see cref="None"/> keeps the checkpoint's own dtype.</summary>
public enum Quantization
{
    None,
    Fp8,
    Awq,
    Gptq,
    Fp4,
}

/// <summary>Element type of the KV cache; <see cref="Auto"/> follows the model's activation dtype (16-bit).</summary>
public enum KvCacheDtype
{
    Auto,
    Fp8,
}

/// <summary>Bytes per weight and per KV-cache element: the one table the fit rule and the renderers share.</summary>
public static class Precision
{
    public static double BytesPerParameter(WeightDtype dtype) => dtype switch
    {
        WeightDtype.Bf16 or WeightDtype.Fp16 => 2,
        WeightDtype.Fp8 or WeightDtype.Int8 => 1,
        WeightDtype.Int4 or WeightDtype.Fp4 => 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    public static double BytesPerParameter(Quantization quantization, WeightDtype checkpoint) => quantization switch
    {
        Quantization.None => BytesPerParameter(checkpoint),
        Quantization.Fp8 => 1,
        Quantization.Awq or Quantization.Gptq or Quantization.Fp4 => 0.5,
        _ => throw new ArgumentOutOfRangeException(nameof(quantization), quantization, null),
    };

    /// <summary>Checkpoints are bf16/fp16 activations even when the weights are fp8, so <c>auto</c> is 2 bytes.</summary>
    public static int BytesPerKvElement(KvCacheDtype dtype) => dtype switch
    {
        KvCacheDtype.Auto => 2,
        KvCacheDtype.Fp8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The weights' dtype as people write it: "bf16", "fp8", "int4 (AWQ)".</summary>
    public static string Label(Quantization quantization, WeightDtype checkpoint) => quantization switch
    {
        Quantization.None => Label(checkpoint),
        Quantization.Fp8 => "fp8",
        Quantization.Awq => "int4 (AWQ)",
        Quantization.Gptq => "int4 (GPTQ)",
        Quantization.Fp4 => "fp4",
        _ => quantization.ToString(),
    };

    public static string Label(WeightDtype dtype) => dtype.ToString().ToLowerInvariant();

    /// <summary>Whether the weights end up in FP8 or FP4, which the GPU must support natively.</summary>
    public static bool NeedsFp8(Quantization quantization, WeightDtype checkpoint) =>
        quantization == Quantization.Fp8 || (quantization == Quantization.None && checkpoint == WeightDtype.Fp8);

    public static bool NeedsFp4(Quantization quantization, WeightDtype checkpoint) =>
        quantization == Quantization.Fp4 || (quantization == Quantization.None && checkpoint == WeightDtype.Fp4);
}
