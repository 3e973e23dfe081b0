using System.Globalization;
using Portal.Core.Catalog;
using Portal.Core.Deployments;

namespace Portal.Core.Sizing;

/// <summary>
/// The fit rule (DESIGN.md, "Fit"): needed = weights + KV per token × max context × max sequences + a reserve per GPU;
/// available = GPUs per replica × GPU memory × utilisation. Also the tensor-parallel and precision rules.
/// </summary>
public static class FitCalculator
{
    /// <summary>
    /// Per GPU, for activations, CUDA graphs and the NCCL/cuBLAS workspaces that live outside the weights and
    /// the KV cache. 2 GiB covers the engines' measured peak for 8B–70B models at the default batch sizes.
    /// </summary>
    public const long ActivationReserveBytesPerGpu = 2 * Bytes.GiB;

    public static IReadOnlyList<int> TensorParallelSizes { get; } = [1, 2, 4, 8];

    public static long WeightBytes(ModelArchitecture model, Quantization quantization) =>
        (long)Math.Ceiling(model.Parameters * Precision.BytesPerParameter(quantization, model.CheckpointDtype));

    /// <summary>2 × layers × KV heads × head dim × bytes; with latent attention, layers × (kv_lora_rank + rope dim) × bytes.</summary>
    public static long KvBytesPerToken(ModelArchitecture model, KvCacheDtype dtype)
    {
        long bytes = Precision.BytesPerKvElement(dtype);
        return model.KvLoraRank is { } rank
            ? model.Layers * (long)(rank + (model.QkRopeHeadDim ?? 0)) * bytes
            : 2L * model.Layers * model.KeyValueHeads * model.HeadDim * bytes;
    }

    /// <summary>Tensor-parallel sizes (1, 2, 4, 8) that divide the model's attention heads.</summary>
    public static IEnumerable<int> ValidTensorParallelSizes(ModelArchitecture model) =>
        TensorParallelSizes.Where(tp => model.AttentionHeads % tp == 0);

    public static FitResult Check(string modelName, ModelArchitecture model, GpuType gpu, int gpusPerReplica, RuntimeSettings runtime)
    {
        var problems = new List<FitProblem>();
        var gpuCount = Math.Max(gpusPerReplica, 0);
        var weights = WeightBytes(model, runtime.Quantization);
        var kvPerToken = KvBytesPerToken(model, runtime.KvCacheDtype);
        var kvCache = kvPerToken * Math.Max(runtime.MaxContextLength, 0) * Math.Max(runtime.MaxConcurrentSequences, 0);
        var reserve = ActivationReserveBytesPerGpu * gpuCount;
        var available = (long)Math.Floor(gpuCount * gpu.MemoryBytes * runtime.GpuMemoryUtilization);

        if (!TensorParallelSizes.Contains(gpusPerReplica))
        {
            problems.Add(new(FitProblemKind.TensorParallelSize,
                $"{gpusPerReplica} GPUs per replica is not a supported tensor-parallel size: choose 1, 2, 4 or 8."));
        }
        else if (model.AttentionHeads % gpusPerReplica != 0)
        {
            problems.Add(new(FitProblemKind.TensorParallelSize,
                $"{modelName} has {model.AttentionHeads} attention heads, which {gpusPerReplica} GPUs cannot split evenly; "
                + $"choose {Sentences.JoinOr(ValidTensorParallelSizes(model).Select(Number))} GPUs per replica."));
        }

        var weightLabel = Precision.Label(runtime.Quantization, model.CheckpointDtype);
        if (Precision.NeedsFp4(runtime.Quantization, model.CheckpointDtype) && !gpu.SupportsFp4)
        {
            problems.Add(new(FitProblemKind.WeightPrecision, $"FP4 weights need a GPU with FP4 support; {gpu.DisplayName} has none."));
        }
        else if (Precision.NeedsFp8(runtime.Quantization, model.CheckpointDtype) && !gpu.SupportsFp8)
        {
            problems.Add(new(FitProblemKind.WeightPrecision, $"FP8 weights need a GPU with FP8 support; {gpu.DisplayName} has none."));
        }

        if (runtime.KvCacheDtype == KvCacheDtype.Fp8 && !gpu.SupportsFp8)
        {
            problems.Add(new(FitProblemKind.KvCachePrecision, $"An FP8 KV cache needs a GPU with FP8 support; {gpu.DisplayName} has none."));
        }

        var offers = $"{gpuCount} × {gpu.DisplayName} {(gpuCount == 1 ? "offers" : "offer")} {Bytes.FormatGiB(available)} "
            + $"at {Percent(runtime.GpuMemoryUtilization)} memory utilisation";
        if (weights > available)
        {
            problems.Add(new(FitProblemKind.Memory,
                $"{modelName} in {weightLabel} needs {Bytes.FormatGiB(weights)} for its weights alone; {offers} (1 GiB = 2³⁰ bytes)."));
        }
        else if (weights + kvCache + reserve > available)
        {
            problems.Add(new(FitProblemKind.Memory,
                $"{modelName} in {weightLabel} needs {Bytes.FormatGiB(weights + kvCache + reserve)}: weights {Bytes.FormatGiB(weights)} "
                + $"+ KV cache {Bytes.FormatGiB(kvCache)} for {Number(runtime.MaxConcurrentSequences)} sequences × {Number(runtime.MaxContextLength)} tokens "
                + $"+ {Bytes.FormatGiB(reserve)} activation reserve; {offers} (1 GiB = 2³⁰ bytes)."));
        }

        return new FitResult
        {
            WeightBytes = weights,
            KvBytesPerToken = kvPerToken,
            KvCacheBytes = kvCache,
            ReserveBytes = reserve,
            AvailableBytes = available,
            Problems = problems,
        };
    }

    private static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) =>
        (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
