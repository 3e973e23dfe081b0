using Portal.Core.Cost;
using Portal.Core.DryRun;
using Portal.Core.Gateway;
using Portal.Core.Signals;
using Portal.Core.Sla;

namespace Portal.Core.Tests.DryRun;

/// <summary>
/// The migration page as it would read with a candidate serving the recorded traffic: one hour of 3,600 requests, each
/// with 200 prompt and the given completion tokens, on a candidate of 1,000 generated tokens/s a replica.
/// </summary>
public class DryRunAfterwardsTests
{
    private static readonly DateTimeOffset _from = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ReplicaCapacity _capacity = new(1_000, "catalog: test");

    private static ReplaySchedule Hour(int completionTokens) => ReplaySchedule.Build(
        Enumerable.Range(0, 3_600).Select(i => new RecordedRequest(_from.AddSeconds(i), GatewayOperation.Chat, 200, completionTokens, true)),
        _from, _from.AddHours(1), 10);

    private static AfterwardsInput Input(int completionTokens, decimal gpuHours = 1, int gpus = 1, int baseline = 1,
        ReplicaCapacity? capacity = null, LatencyObjective? objective = null, double ttftMs = 100) => new()
    {
        Schedule = Hour(completionTokens),
        TtftsMs = [.. Enumerable.Repeat(ttftMs, 3_600)],
        ColdStarts = 0,
        Candidate = new DryRunCandidate
        {
            Model = "llama-3.1-8b-instruct", GpuType = "h100-80gb", GpusPerReplica = gpus, BaselineReplicas = baseline, MaxReplicas = 3, Region = "us-east",
        },
        GpuHours = gpuHours,
        PricePerGpuHourUsd = 2,
        Capacity = capacity ?? _capacity,
        ServerlessPrices = new ServerlessPrices(0.5m, 1.5m),
        Objective = objective,
    };

    [Fact]
    public void HalfTheCapacityUsed_KeepsDedicated_AndSaysWhetherTheObjectiveIsMet()
    {
        // 500 tokens a request, one a second: 500 tokens/s against 1,000 over the hour's one replica-hour.
        var met = DryRunAfterwards.Assess(Input(500, objective: new LatencyObjective(200, 99, 7)));
        var missed = DryRunAfterwards.Assess(Input(500, objective: new LatencyObjective(200, 99, 7), ttftMs: 250));

        Assert.Equal(0.5, met.Utilisation!.Value, 6);
        Assert.StartsWith("Keep dedicated: its replicas run at 50", met.Advice);
        Assert.EndsWith("It meets its objective.", met.Advice);
        Assert.EndsWith("It misses its objective.", missed.Advice);
        Assert.Equal([SignalKind.TailDivergence, SignalKind.ColdStarts, SignalKind.Economics, SignalKind.Requirements], met.Signals.Select(s => s.Kind));
        Assert.Equal(SignalState.Ok, met.Signals[0].State); // every TTFT alike: p99/p50 = 1
    }

    [Fact]
    public void ReplicaTime_IsTheGpuHoursOverTheGpusPerReplica_BurstIncluded()
    {
        // Two GPUs a replica, one baseline replica for the hour and a burst replica for half of it: 3 GPU-hours, 1.5 replica-hours.
        var afterwards = DryRunAfterwards.Assess(Input(500, gpuHours: 3, gpus: 2));

        Assert.Equal(500.0 / (1_000 * 1.5), afterwards.Utilisation!.Value, 6);
    }

    [Fact]
    public void LittleOfTheCapacityUsed_MovesBack_OrScalesDown()
    {
        // 100 tokens/s is 10 % of one replica: below the 40 % where dedicated pays off.
        Assert.StartsWith("Move back to serverless: one replica would run at 10", DryRunAfterwards.Assess(Input(100)).Advice);

        // 900 tokens/s over three baseline replicas (three replica-hours) is 30 % each; two would run at 45 %.
        Assert.StartsWith("Scale down to 2 replicas", DryRunAfterwards.Assess(Input(900, gpuHours: 3, baseline: 3)).Advice);
    }

    [Fact]
    public void WithoutACapacity_EconomicsIsTheMonthlyCostComparison()
    {
        var afterwards = DryRunAfterwards.Assess(Input(500) with { Capacity = null });

        // Serverless: 720,000 input and 1,800,000 output tokens an hour, projected to 30 days; dedicated: 1 × 1 GPU × $2 × 730 h.
        var economics = afterwards.Signals[2];
        var serverless = (720_000 * 0.5m + 1_800_000 * 1.5m) / 1_000_000 * 24 * 30;
        Assert.Equal((double)serverless, economics.Value!.Value, 2);
        Assert.Equal((double)CostCalculator.DedicatedMonthlyUsd(1, 1, 2), economics.Threshold);
        Assert.Equal(SignalState.Fires, economics.State);
        Assert.Null(afterwards.Utilisation);
        Assert.StartsWith("Served dedicated: its utilisation is not known yet", afterwards.Advice);
    }
}
