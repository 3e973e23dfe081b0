using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Core.Sizing;

namespace Portal.Core.Tests.DryRun;

public class DryRunCandidateTests
{
    private static readonly RuntimeSettings _catalogDefaults = new() { MaxContextLength = 32_768, MaxConcurrentSequences = 64 };

    private static DryRunCandidate Candidate(RuntimeSettings? runtime = null, int? seqs = null) => new()
    {
        Model = "llama-3.1-8b-instruct", GpuType = "h100-80gb", Region = "us-east", Runtime = runtime, MaxConcurrentSequences = seqs,
    };

    [Fact]
    public void ToSpec_WithoutRuntime_TakesTheCatalogsDefaults()
    {
        Assert.Same(_catalogDefaults, Candidate().ToSpec("c", _catalogDefaults).Runtime);
    }

    [Fact]
    public void ToSpec_WithItsOwnRuntime_UsesIt_AndTheRunningBatchOverridesIts()
    {
        var own = new RuntimeSettings { Quantization = Quantization.Fp8, MaxConcurrentSequences = 8 };

        Assert.Equal(own, Candidate(own).ToSpec("c", _catalogDefaults).Runtime);
        Assert.Equal(own with { MaxConcurrentSequences = 2 }, Candidate(own, seqs: 2).ToSpec("c", _catalogDefaults).Runtime);
        Assert.Equal(_catalogDefaults with { MaxConcurrentSequences = 2 }, Candidate(seqs: 2).ToSpec("c", _catalogDefaults).Runtime);
    }

    [Fact]
    public void DisplayName_NamesAQuantization()
    {
        Assert.Equal("1× h100-80gb, 1 replica, FP8", Candidate(new RuntimeSettings { Quantization = Quantization.Fp8 }).DisplayName);
        Assert.Equal("1× h100-80gb, 1 replica", Candidate(new RuntimeSettings()).DisplayName);
    }
}
