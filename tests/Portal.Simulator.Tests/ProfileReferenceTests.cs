using Portal.Core.DryRun;
using Portal.Simulator.Configuration;

namespace Portal.Simulator.Tests;

/// <summary>
/// The dry run derives a candidate's speed from Core's table of what each profile was set for; the table must say what
/// the shipped profiles say, and the figures it derives must be ones the simulator takes on its command line.
/// </summary>
public sealed class ProfileReferenceTests
{
    [Fact]
    public void CoresReferenceTable_CoversEveryShippedProfile() =>
        Assert.Equal(SimulatorProfiles.Names.Order(StringComparer.Ordinal), SimulatorReference.All.Select(r => r.Profile).Order(StringComparer.Ordinal));

    [Theory]
    [InlineData(SimulatorProfiles.Dedicated8BH100)]
    [InlineData(SimulatorProfiles.Serverless8B)]
    [InlineData(SimulatorProfiles.Dedicated70BH200)]
    [InlineData(SimulatorProfiles.Serverless70B)]
    public void CoresReferenceFigures_AreTheShippedProfilesOwn(string name)
    {
        var profile = SimulatorProfiles.Load(name);

        Assert.Equal(new SimulatorFigures(profile.PrefillMsPerToken, profile.InterTokenLatencyMs, profile.KvCacheTokens),
            SimulatorReference.Find(name)!.Figures);
    }

    [Fact]
    public void DerivedFigures_AsFlagsAfterTheProfile_OverrideIt()
    {
        var options = SimulatorCommandLine.Parse(["--profile", "dedicated-8b-h100",
            "--prefill-ms-per-token", "0.0125", "--inter-token-latency-ms", "8.375", "--kv-cache-tokens", "899616"]);

        Assert.Equal(new SimulatorFigures(0.0125, 8.375, 899_616), new SimulatorFigures(options.PrefillMsPerToken, options.InterTokenLatencyMs, options.KvCacheTokens));
        Assert.Equal(55, options.PrefillOverheadMs);
        Assert.Equal(75, options.WeightLoadSeconds);
    }

    [Theory]
    [InlineData("--inter-token-latency-ms", "-1", "inter-token-latency-ms must be a finite number ≥ 0")]
    [InlineData("--inter-token-latency-ms", "NaN", "--inter-token-latency-ms got 'NaN', expected a finite number")]
    [InlineData("--inter-token-latency-ms", "fast", "--inter-token-latency-ms got 'fast', expected a finite number")]
    [InlineData("--prefill-ms-per-token", "-0.01", "prefill-ms-per-token must be a finite number ≥ 0")]
    [InlineData("--prefill-ms-per-token", "Infinity", "--prefill-ms-per-token got 'Infinity', expected a finite number")]
    [InlineData("--kv-cache-tokens", "0", "kv-cache-tokens must be at least 1")]
    [InlineData("--kv-cache-tokens", "1.5", "--kv-cache-tokens got '1.5', expected an integer")]
    [InlineData("--kv-cache-tokens", "3000000000", "--kv-cache-tokens got '3000000000', expected an integer")]
    public void ABadSpeedOverride_IsRefusedWithTheRule(string flag, string value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => SimulatorCommandLine.Parse(["--profile", "dedicated-8b-h100", flag, value]));

        Assert.Contains(message, error.Message);
    }
}
