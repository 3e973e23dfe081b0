namespace Portal.Core.Signals;

/// <summary>What to do with an endpoint served dedicated.</summary>
public enum DedicatedAdvice
{
    /// <summary>No capacity is known, so its utilisation is not either.</summary>
    NotMeasured,

    /// <summary>Its replicas run at or above the utilisation where dedicated pays off, or a requirement holds it there.</summary>
    Keep,

    /// <summary>Fewer replicas would carry the traffic at a utilisation where dedicated pays off.</summary>
    ScaleDown,

    /// <summary>Even one replica would run below that utilisation, and nothing requires dedicated.</summary>
    MoveBack,
}

/// <summary>The four signals of one endpoint and the recommendation they add up to.</summary>
/// <param name="Signals">In <see cref="SignalKind"/> order, one of each kind.</param>
/// <param name="Reasons">Why to move, in <see cref="MigrationReason"/> order; empty when staying or already dedicated.</param>
/// <param name="Recommendation">One sentence naming the reasons, e.g. "Move to dedicated: … hurt product quality; …".</param>
/// <param name="Advice">For an endpoint served dedicated: keep, scale down or move back; null when served serverless.</param>
/// <param name="Utilisation">
/// The share of a replica's capacity the traffic uses (0..1): of one replica of the smallest configuration for a
/// serverless endpoint, of its replicas' real time for a dedicated one; null when no capacity is known.
/// </param>
public sealed record MigrationAssessment(
    IReadOnlyList<MigrationSignal> Signals,
    IReadOnlyList<MigrationReason> Reasons,
    string Recommendation,
    DedicatedAdvice? Advice = null,
    double? Utilisation = null)
{
    public bool MoveToDedicated => Reasons.Count > 0;

    public MigrationSignal this[SignalKind kind] => Signals.Single(signal => signal.Kind == kind);
}
