using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Core.Sizing;

namespace Portal.Core.Tests.DryRun;

public sealed class CandidatePerformanceTests
{
    private static readonly ModelCatalog _catalog = ModelCatalog.Default;
    private static readonly SimulatorReference _eightB = SimulatorReference.Find("dedicated-8b-h100")!;
    private static readonly SimulatorReference _seventyB = SimulatorReference.Find("dedicated-70b-h200")!;

    private static SpeedEstimate Derive(SimulatorReference reference, string model, string gpu, int gpus, RuntimeSettings? runtime = null)
    {
        var definition = _catalog.GetModel(model);
        return CandidatePerformance.Derive(_catalog, reference, definition.DisplayName, definition.Architecture,
            runtime ?? _catalog.DefaultRuntime(definition.Architecture), _catalog.GetGpu(gpu), gpus);
    }

    private static SimulatorFigures Figures(SimulatorReference reference, string model, string gpu, int gpus, RuntimeSettings? runtime = null) =>
        Derive(reference, model, gpu, gpus, runtime).Speed?.Figures ?? throw new InvalidOperationException(Derive(reference, model, gpu, gpus, runtime).Refusal);

    [Fact]
    public void TheReferenceHardware_GetsTheProfilesOwnFigures()
    {
        Assert.Equal(_eightB.Figures, Figures(_eightB, "llama-3.1-8b-instruct", "h100-80gb", 1));
        Assert.Equal(_seventyB.Figures, Figures(_seventyB, "llama-3.1-70b-instruct", "h200-141gb", 8));
    }

    [Fact]
    public void H200_DecodesFasterThanH100_ByTheBandwidthRatio_PrefillsAlike_AndHoldsTwiceTheKvTokens()
    {
        var h100 = Figures(_eightB, "llama-3.1-8b-instruct", "h100-80gb", 1);
        var h200 = Figures(_eightB, "llama-3.1-8b-instruct", "h200-141gb", 1);

        // 4.8 ÷ 3.35 TB/s: 12 ms × 3.35 ÷ 4.8 = 8.375 ms a token. One GPU each, so no tensor-parallel factor.
        Assert.Equal(4.8 / 3.35, h100.InterTokenLatencyMs / h200.InterTokenLatencyMs, 9);
        Assert.Equal(8.375, h200.InterTokenLatencyMs, 9);
        // The same 989 dense BF16 TFLOPS: prefill is the same.
        Assert.Equal(h100.PrefillMsPerToken, h200.PrefillMsPerToken, 12);
        // Free memory 140.4 GiB × 0.9 − 14.96 GiB weights − 2 GiB reserve = 109.8 GiB against 54.7 GiB, at 128 KiB a token:
        // 450,000 × 878,539 ÷ 448,309 (the profile's 450,000 against the formula's 448,309 on its own H100).
        Assert.Equal(899_616, h200.KvCacheTokens);
    }

    [Fact]
    public void TwoGpus_AreFasterThanOne_ByTheStatedTensorParallelEfficiency()
    {
        var one = Figures(_eightB, "llama-3.1-8b-instruct", "h100-80gb", 1);
        var two = Figures(_eightB, "llama-3.1-8b-instruct", "h100-80gb", 2);

        Assert.Equal(1.8, one.InterTokenLatencyMs / two.InterTokenLatencyMs, 9);
        Assert.Equal(1.8, one.PrefillMsPerToken / two.PrefillMsPerToken, 9);
        Assert.True(two.KvCacheTokens > 2 * one.KvCacheTokens, $"{two.KvCacheTokens} KV tokens on two GPUs against {one.KvCacheTokens} on one.");
    }

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.8)]
    [InlineData(4, 3.24)]
    [InlineData(8, 5.832)]
    public void EffectiveGpus_Keep90PercentPerDoubling(int gpus, double effective) =>
        Assert.Equal(effective, CandidatePerformance.EffectiveGpus(gpus), 9);

    [Fact]
    public void FewerGpusThanTheReference_AreSlower_ByTheEffectiveGpuRatio()
    {
        var four = Figures(_seventyB, "llama-3.1-70b-instruct", "h200-141gb", 4);

        // 23 ms × 5.832 ÷ 3.24 effective GPUs = 41.4 ms a token.
        Assert.Equal(41.4, four.InterTokenLatencyMs, 9);
        Assert.Equal(0.05 * 5.832 / 3.24, four.PrefillMsPerToken, 12);
    }

    [Fact]
    public void Fp8Weights_HalveTheBytesReadPerToken_AndSoTheDecodeTime()
    {
        var bf16 = Figures(_eightB, "llama-3.1-8b-instruct", "h100-80gb", 1);
        var fp8 = Figures(_eightB, "llama-3.1-8b-instruct", "h100-80gb", 1,
            _catalog.DefaultRuntime(_catalog.GetModel("llama-3.1-8b-instruct").Architecture) with { Quantization = Quantization.Fp8 });

        Assert.Equal(bf16.InterTokenLatencyMs / 2, fp8.InterTokenLatencyMs, 9);
        Assert.True(fp8.KvCacheTokens > bf16.KvCacheTokens);
    }

    [Fact]
    public void AMixtureOfExperts_DecodesAndPrefillsByItsActiveParameters()
    {
        var mixtral = _catalog.GetModel("mixtral-8x7b-instruct").Architecture;
        var eightB = _catalog.GetModel("llama-3.1-8b-instruct").Architecture;

        var figures = Figures(_eightB, "mixtral-8x7b-instruct", "h200-141gb", 1);

        var active = (double)mixtral.ActiveParameters!.Value / eightB.Parameters;
        Assert.Equal(0.03 * active, figures.PrefillMsPerToken, 12);
        Assert.Equal(12 * active * 3.35 / 4.8, figures.InterTokenLatencyMs, 6);
    }

    [Fact]
    public void AModelThatDoesNotFit_IsRefusedWithTheNumbers()
    {
        var estimate = Derive(_seventyB, "llama-3.1-70b-instruct", "h100-80gb", 1);

        Assert.False(estimate.Fits);
        Assert.Null(estimate.Speed);
        Assert.Equal("Llama 3.1 70B Instruct in bf16 does not fit: its weights (131.4 GiB) and the activation reserve (2.0 GiB) leave no room "
            + "for a KV cache; 1 × H100 80GB offers 71.7 GiB at 90 % memory utilisation.", estimate.Refusal);
    }

    [Fact]
    public void AKvCacheShorterThanOneSequence_IsRefused()
    {
        var runtime = _catalog.DefaultRuntime(_catalog.GetModel("llama-3.1-70b-instruct").Architecture) with { MaxContextLength = 65536 };

        var estimate = Derive(_seventyB, "llama-3.1-70b-instruct", "h100-80gb", 2, runtime);

        Assert.Contains("fewer than one sequence of 65,536", estimate.Refusal);
    }

    [Fact]
    public void TheBasis_SaysWhatTheFiguresAreSetForAndHowFarTheCandidateIsFromIt()
    {
        var speed = Derive(_eightB, "llama-3.1-8b-instruct", "h200-141gb", 1).Speed!;

        Assert.True(speed.Derived);
        Assert.Equal("dedicated-8b-h100", speed.Profile);
        Assert.Equal("decode 8.38 ms a token, prefill 0.03 ms a prompt token, KV cache 899,616 tokens", speed.Summary);
        Assert.StartsWith("dedicated-8b-h100 is set for Llama 3.1 8B Instruct on 1× H100 80GB; Llama 3.1 8B Instruct in bf16 on 1× H200 141GB "
            + "decodes 1.43× as fast", speed.Basis);
    }

    [Fact]
    public void ANamedProfile_StandsAsShipped()
    {
        var speed = CandidatePerformance.AsShipped(_seventyB);

        Assert.False(speed.Derived);
        Assert.Equal(_seventyB.Figures, speed.Figures);
    }

    [Theory]
    [InlineData(8_030_261_248L, false, "dedicated-8b-h100")]
    [InlineData(8_030_261_248L, true, "serverless-8b")]
    [InlineData(70_553_706_496L, false, "dedicated-70b-h200")]
    [InlineData(70_553_706_496L, true, "serverless-70b")]
    public void DefaultProfile_FollowsTheModelsSizeAndScaleToZero(long parameters, bool scaleToZero, string profile) =>
        Assert.Equal(profile, SimulatorReference.DefaultProfile(parameters, scaleToZero));

    [Fact]
    public void EveryReference_NamesACatalogModelAndGpu() =>
        Assert.All(SimulatorReference.All, r =>
        {
            Assert.NotNull(_catalog.FindModel(r.Model));
            Assert.NotNull(_catalog.FindGpu(r.GpuType));
            Assert.Contains(r.Profile, DryRunCandidate.Profiles);
        });
}
