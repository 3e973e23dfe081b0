namespace Portal.Core.DryRun;

/// <summary>
/// What the endpoint itself recorded over the window, to set beside each candidate. The TTFT histogram uses the
/// candidates' bucket edges; reports stored before it was kept have none.
/// </summary>
public sealed record RecordedTraffic(
    int Requests,
    int Replayed,
    int WithoutTokenCounts,
    double? TtftP50Ms,
    double? TtftP90Ms,
    double? TtftP99Ms,
    int ColdStarts,
    int Throttled,
    IReadOnlyList<long>? TtftHistogram = null);

/// <summary>
/// One candidate's replay: its configuration, the speed its simulators ran at and why, what it measured, what it would
/// have cost, how faithful the replay was, and the endpoint's migration page as it would read afterwards. Reports stored
/// before the speed or the page afterwards were kept have none.
/// </summary>
public sealed record CandidateReport(
    string Name,
    DryRunCandidate Candidate,
    string Profile,
    ReplaySummary Summary,
    IReadOnlyList<ReplayedReplica> Replicas,
    IReadOnlyList<ReplicaCountPoint> ReplicasOverTime,
    decimal GpuHours,
    decimal? PricePerGpuHourUsd,
    decimal? CostUsd,
    decimal? CostPerRequestUsd,
    ReplayFidelity Fidelity,
    IReadOnlyList<EngineArrival>? Arrivals,
    CandidateSpeed? Speed = null,
    CandidateAfterwards? Afterwards = null);

/// <summary>The finished dry run: the recording, every candidate, and the recommendation.</summary>
public sealed record DryRunReport(
    string Notice,
    RecordedTraffic Recorded,
    IReadOnlyList<CandidateReport> Candidates,
    DryRunRecommendation? Recommendation)
{
    /// <summary>What every report says first.</summary>
    public const string SimulationNotice =
        "This is a simulation: the recorded arrivals and token counts were replayed through the portal's gateway to simulator "
        + "replicas, not to real GPUs; their latencies come from published engine benchmarks per model and GPU, scaled to each "
        + "candidate's GPUs by memory bandwidth and compute (docs/simulator.md). "
        + "Replay accuracy below says how closely the simulators saw the recorded traffic.";

    /// <summary>The notice of a report replayed at <paramref name="compression"/>: a simulation, and how close such replays have come.</summary>
    public static string NoticeFor(double compression) => SimulationNotice + " " + ReplayAccuracy.Statement(compression);

    /// <summary>Engine arrivals are kept in the report only for replays up to this many requests.</summary>
    public const int MaxArrivalsKept = 10_000;
}
