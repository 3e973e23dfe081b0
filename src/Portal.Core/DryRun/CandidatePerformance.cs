using System.Globalization;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.Sizing;

namespace Portal.Core.DryRun;

/// <summary>
/// How fast a candidate replays and why: the simulator figures it runs with and a sentence on where they come from.
/// <see cref="Derived"/> is false when the candidate named its own profile, whose figures then stand as shipped.
/// </summary>
public sealed record CandidateSpeed(string Profile, SimulatorFigures Figures, bool Derived, string Basis)
{
    /// <summary>The figures in a line: "decode 8.38 ms a token, prefill 0.03 ms a prompt token, KV cache 899,616 tokens".</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"decode {Figures.InterTokenLatencyMs:0.##} ms a token, prefill {Figures.PrefillMsPerToken:0.####} ms a prompt token, "
        + $"KV cache {Figures.KvCacheTokens:N0} tokens");
}

/// <summary>The candidate's speed, or why it has none (its model does not fit the GPUs).</summary>
public sealed record SpeedEstimate(CandidateSpeed? Speed, string? Refusal)
{
    public bool Fits => Speed is not null;
}

/// <summary>
/// A candidate's simulator figures from its hardware, relative to the hardware its profile was set for
/// (<see cref="SimulatorReference"/>), so 1× H100, 1× H200 and 2× H100 replay at different speeds:
/// <list type="bullet">
/// <item>decode is memory-bandwidth-bound: the gap between tokens ∝ weight bytes read per token ÷ (bandwidth × effective GPUs);</item>
/// <item>prefill is compute-bound: ms per prompt token ∝ active parameters ÷ (dense BF16 TFLOPS × effective GPUs);</item>
/// <item>KV-cache tokens = (GPUs × memory × utilisation − weights − activation reserve) ÷ KV bytes per token.</item>
/// </list>
/// Each figure is the profile's own figure times the ratio of the candidate's physical quantity to the reference's, so
/// the efficiencies the profile's figures imply (how far below the hardware's peak the engine runs) carry over, and the
/// reference hardware gets exactly the profile's figures. The fixed prefill overhead per request is left as the profile
/// has it. docs/simulator.md has the reference table and worked figures.
/// </summary>
public static class CandidatePerformance
{
    /// <summary>
    /// Tensor parallel is not linear: each doubling of GPUs keeps this fraction of the ideal speed-up (the per-layer
    /// all-reduce over NVLink). An estimate inside the 85–95 % per doubling that published TP scaling runs of 8B–70B
    /// models on NVLink nodes show for decode, not a measurement of ours.
    /// </summary>
    public const double EfficiencyPerDoubling = 0.9;

    /// <summary>0.9 per doubling: 1, 0.9, 0.81, 0.729 for 1, 2, 4, 8 GPUs.</summary>
    public static double ScalingEfficiency(int gpus) => Math.Pow(EfficiencyPerDoubling, Math.Log2(gpus));

    /// <summary>GPUs × <see cref="ScalingEfficiency"/>: 1, 1.8, 3.24, 5.83 for 1, 2, 4, 8 GPUs.</summary>
    public static double EffectiveGpus(int gpus) => gpus * ScalingEfficiency(gpus);

    /// <summary>
    /// A dry-run candidate's speed: the named profile's figures as shipped, or, without one, figures derived from its GPUs on
    /// the profile of its model's size (dedicated, or serverless for scale to zero).
    /// </summary>
    public static SpeedEstimate For(ModelCatalog catalog, DryRunCandidate candidate, ResolvedDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(deployment);
        if (candidate.Profile is { } named)
        {
            var shipped = SimulatorReference.Find(named) ?? throw new ArgumentException($"'{named}' is not a shipped profile.", nameof(candidate));
            return new(AsShipped(shipped), null);
        }

        var reference = SimulatorReference.Find(SimulatorReference.DefaultProfile(deployment.Architecture.Parameters, candidate.ScaleToZero))!;
        return Derive(catalog, reference, deployment);
    }

    /// <summary>The speed of a resolved candidate on the given profile's reference.</summary>
    public static SpeedEstimate Derive(ModelCatalog catalog, SimulatorReference reference, ResolvedDeployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return Derive(catalog, reference, deployment.ModelDisplayName, deployment.Architecture, deployment.Runtime, deployment.Gpu, deployment.GpusPerReplica);
    }

    public static SpeedEstimate Derive(
        ModelCatalog catalog, SimulatorReference reference, string modelName, ModelArchitecture model, RuntimeSettings runtime, GpuType gpu, int gpus)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(gpu);
        if (gpus < 1)
        {
            return new(null, $"{gpus} GPUs per replica cannot hold {modelName}: give at least one.");
        }

        var referenceModel = catalog.GetModel(reference.Model);
        var referenceGpu = catalog.GetGpu(reference.GpuType);
        var referenceRuntime = new RuntimeSettings();

        var weights = FitCalculator.WeightBytes(model, runtime.Quantization);
        var available = Available(gpu, gpus, runtime);
        var reserve = FitCalculator.ActivationReserveBytesPerGpu * gpus;
        var label = Precision.Label(runtime.Quantization, model.CheckpointDtype);
        var offers = $"{gpus} × {gpu.DisplayName} {(gpus == 1 ? "offers" : "offer")} {Bytes.FormatGiB(available)} at "
            + $"{(runtime.GpuMemoryUtilization * 100).ToString("0.##", CultureInfo.InvariantCulture)} % memory utilisation";
        if (weights + reserve >= available)
        {
            return new(null, $"{modelName} in {label} does not fit: its weights ({Bytes.FormatGiB(weights)}) and the activation reserve "
                + $"({Bytes.FormatGiB(reserve)}) leave no room for a KV cache; {offers}.");
        }

        var referenceTokens = (double)(Available(referenceGpu, reference.Gpus, referenceRuntime)
                - FitCalculator.WeightBytes(referenceModel.Architecture, referenceRuntime.Quantization)
                - FitCalculator.ActivationReserveBytesPerGpu * reference.Gpus)
            / FitCalculator.KvBytesPerToken(referenceModel.Architecture, referenceRuntime.KvCacheDtype);
        var tokens = (double)(available - weights - reserve) / FitCalculator.KvBytesPerToken(model, runtime.KvCacheDtype);
        var kvTokens = (int)Math.Min(int.MaxValue, Math.Round(reference.Figures.KvCacheTokens * tokens / referenceTokens));
        if (kvTokens < runtime.MaxContextLength)
        {
            return new(null, $"{modelName} in {label} does not fit: the KV cache left beside the weights holds about "
                + $"{kvTokens.ToString("N0", CultureInfo.InvariantCulture)} tokens, fewer than one sequence of "
                + $"{runtime.MaxContextLength.ToString("N0", CultureInfo.InvariantCulture)}; {offers}.");
        }

        var decode = DecodeBytesPerToken(model, runtime.Quantization) / DecodeBytesPerToken(referenceModel.Architecture, referenceRuntime.Quantization)
            * (referenceGpu.MemoryBandwidthTBps * EffectiveGpus(reference.Gpus)) / (gpu.MemoryBandwidthTBps * EffectiveGpus(gpus));
        var prefill = (double)ActiveParameters(model) / ActiveParameters(referenceModel.Architecture)
            * (referenceGpu.DenseBf16Tflops * EffectiveGpus(reference.Gpus)) / (gpu.DenseBf16Tflops * EffectiveGpus(gpus));
        var figures = new SimulatorFigures(
            reference.Figures.PrefillMsPerToken * prefill, reference.Figures.InterTokenLatencyMs * decode, kvTokens);

        var basis = string.Create(CultureInfo.InvariantCulture,
            $"{reference.Profile} is set for {referenceModel.DisplayName} on {reference.Gpus}× {referenceGpu.DisplayName}; {modelName} in {label} on "
            + $"{gpus}× {gpu.DisplayName} decodes {1 / decode:0.00}× as fast (memory bandwidth {gpu.MemoryBandwidthTBps:0.##} TB/s a GPU), "
            + $"prefills {1 / prefill:0.00}× as fast (dense BF16 {gpu.DenseBf16Tflops:0} TFLOPS a GPU) and holds "
            + $"{kvTokens / (double)reference.Figures.KvCacheTokens:0.00}× the KV tokens; tensor parallel keeps {EfficiencyPerDoubling:0.0#} per doubling.");
        return new(new CandidateSpeed(reference.Profile, figures, Derived: true, basis), null);
    }

    /// <summary>A candidate that names its own profile replays on the profile's figures as shipped.</summary>
    public static CandidateSpeed AsShipped(SimulatorReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return new(reference.Profile, reference.Figures, Derived: false,
            $"The candidate names the {reference.Profile} profile, whose figures stand as shipped, whatever its GPUs.");
    }

    private static long Available(GpuType gpu, int gpus, RuntimeSettings runtime) =>
        (long)Math.Floor(gpus * gpu.MemoryBytes * runtime.GpuMemoryUtilization);

    /// <summary>The weights read for each generated token: all of a dense model's, the active share of a mixture of experts.</summary>
    private static double DecodeBytesPerToken(ModelArchitecture model, Quantization quantization) =>
        FitCalculator.WeightBytes(model, quantization) * ((double)ActiveParameters(model) / model.Parameters);

    private static long ActiveParameters(ModelArchitecture model) => model.ActiveParameters ?? model.Parameters;
}
