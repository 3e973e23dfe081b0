using Portal.Core.Cost;
using Portal.Core.Latency;
using Portal.Core.Signals;
using Portal.Core.Sla;

namespace Portal.Core.DryRun;

/// <summary>
/// The endpoint's migration page as it would read with a candidate serving the recorded traffic: the four signals and
/// the advice for an endpoint served dedicated (keep, scale down, move back, or not measured yet).
/// </summary>
public sealed record CandidateAfterwards(IReadOnlyList<MigrationSignal> Signals, string Advice, double? Utilisation);

/// <summary>What a candidate's replay knows that the migration page would judge it by.</summary>
public sealed record AfterwardsInput
{
    /// <summary>The recorded window and the requests replayed (their token counts).</summary>
    public required ReplaySchedule Schedule { get; init; }

    /// <summary>The candidate's replayed TTFTs in the recording's time (<see cref="ReplaySummary.TtftsMs"/>).</summary>
    public required IReadOnlyList<double> TtftsMs { get; init; }

    public required int ColdStarts { get; init; }

    public required DryRunCandidate Candidate { get; init; }

    /// <summary>The candidate's GPU-hours over the recorded window (<see cref="ReplayCost.GpuHours"/>).</summary>
    public required decimal GpuHours { get; init; }

    /// <summary>Price per GPU-hour in the candidate's region; null when unpriced.</summary>
    public decimal? PricePerGpuHourUsd { get; init; }

    /// <summary>One replica's generated tokens/s for the candidate's model and GPUs (the catalog's); null when unknown.</summary>
    public ReplicaCapacity? Capacity { get; init; }

    /// <summary>Prices of the endpoint's serverless target, what the traffic would cost left there.</summary>
    public required ServerlessPrices ServerlessPrices { get; init; }

    /// <summary>The endpoint's requirements as its migration page judges them now.</summary>
    public HardRequirements Requirements { get; init; } = HardRequirements.None;

    /// <summary>The endpoint's TTFT objective; null when it has none.</summary>
    public LatencyObjective? Objective { get; init; }
}

public static class DryRunAfterwards
{
    /// <summary>
    /// Judges the replay as the migration page judges an endpoint served dedicated (<see cref="MigrationAdvisor"/>):
    /// the replayed TTFTs and cold starts, the replayed tokens over the recorded window, the candidate's replica time
    /// (GPU-hours ÷ GPUs per replica, baseline and burst alike) against its capacity, its baseline's monthly cost, and
    /// whether its TTFTs meet the endpoint's objective.
    /// </summary>
    public static CandidateAfterwards Assess(AfterwardsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var histogram = new LatencyHistogram();
        foreach (var ttft in input.TtftsMs)
        {
            histogram.Record(ttft);
        }

        var requests = input.Schedule.Requests;
        var traffic = new TrafficStats(input.TtftsMs.Count, input.ColdStarts,
            requests.Sum(r => (long)r.Recorded.PromptTokens), requests.Sum(r => (long)r.Recorded.CompletionTokens), histogram);
        var candidate = input.Candidate;
        var replicas = Math.Max(1, candidate.BaselineReplicas);
        var assessment = MigrationAdvisor.Assess(new MigrationInput
        {
            Window = input.Schedule.RecordedSpan,
            Traffic = traffic,
            Prices = input.ServerlessPrices,
            DedicatedMonthlyCost = input.PricePerGpuHourUsd is { } price ? CostCalculator.DedicatedMonthlyUsd(replicas, candidate.GpusPerReplica, price) : null,
            Requirements = input.Requirements,
            Capacity = input.Capacity,
            ServedDedicated = true,
            ReplicaTime = TimeSpan.FromHours((double)(input.GpuHours / Math.Max(1, candidate.GpusPerReplica))),
            Replicas = replicas,
            MeetsObjective = input.Objective is { } objective
                ? ExactPercentiles.Percentile(input.TtftsMs, objective.Percentile) is { } value && value <= objective.ThresholdMs
                : null,
        });
        return new CandidateAfterwards(assessment.Signals, assessment.Recommendation, assessment.Utilisation);
    }
}
