using Portal.Core.Cost;

namespace Portal.Core.Tests.Cost;

public sealed class DedicatedSpendTests
{
    private static readonly DateTimeOffset _from = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _to = _from.AddDays(1);

    [Fact]
    public void ReplicasArePaidForTheHoursTheyRanInsideTheWindow()
    {
        ReplicaLifetime[] lifetimes =
        [
            new(_from.AddDays(-3), null),                       // all 24 h
            new(_from.AddHours(18), null),                      // created mid-window: 6 h
            new(_from.AddHours(2), _from.AddHours(2.5)),        // a burst replica: 0.5 h
            new(_from.AddDays(-2), _from.AddDays(-1)),          // stopped before the window: 0 h
        ];

        Assert.Equal(30.5m, DedicatedSpend.ReplicaHours(lifetimes, _from, _to));
        // 30.5 replica-hours × 2 GPUs × $3/GPU-hour.
        Assert.Equal(183m, DedicatedSpend.Usd(lifetimes, _from, _to, gpusPerReplica: 2, pricePerGpuHourUsd: 3m));
    }
}

public sealed class CapacityRuleTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OnlySaturatedIntervals_Measure()
    {
        EngineReading[] readings =
        [
            new("replica/a", _t0, 0, 0),
            new("replica/a", _t0.AddSeconds(30), 3_000, 0),        // not saturated: 100 tokens/s of traffic
            new("replica/a", _t0.AddSeconds(60), 63_000, 5),       // saturated only at its end: not counted
            new("replica/a", _t0.AddSeconds(90), 123_000, 7),      // saturated at both ends: 2,000 tokens/s
            new("replica/b", _t0, 10_000, 3),
            new("replica/b", _t0.AddSeconds(30), 100_000, 2),      // 3,000 tokens/s
        ];

        var capacity = CapacityRule.Measure(readings);

        Assert.Equal(2_500, capacity!.TokensPerSecond, 6);
        Assert.Equal(CapacityRule.MeasuredSource, capacity.Source);
    }

    [Fact]
    public void NoSaturation_NoMeasurement() =>
        Assert.Null(CapacityRule.Measure([new("replica/a", _t0, 0, 0), new("replica/a", _t0.AddSeconds(30), 9_000, 0)]));

    [Fact]
    public void ARestartedEngine_DoesNotCountItsFallingCounter() =>
        Assert.Null(CapacityRule.Measure([new("replica/a", _t0, 90_000, 4), new("replica/a", _t0.AddSeconds(30), 1_000, 4)]));
}

public sealed class EngineCountersTests
{
    [Fact]
    public void Parse_SumsTheTokenCounterAndWaitingOverLabelSets()
    {
        const string text = """
            # HELP vllm:generation_tokens Number of generation tokens processed.
            # TYPE vllm:generation_tokens counter
            vllm:generation_tokens_total{model_name="a"} 1200
            vllm:generation_tokens_total{model_name="b"} 34
            vllm:num_requests_waiting{model_name="a"} 3
            vllm:num_requests_running{model_name="a"} 256
            """;

        Assert.Equal(new Portal.Core.Metrics.EngineCounters(1234, 3), Portal.Core.Metrics.EngineCounters.Parse(text));
    }

    [Fact]
    public void Parse_WithoutATokenCounter_IsNull() =>
        Assert.Null(Portal.Core.Metrics.EngineCounters.Parse("vllm:num_requests_waiting 3\n"));
}
