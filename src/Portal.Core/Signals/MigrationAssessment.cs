namespace Portal.Core.Signals;

/// <summary>The four signals of one model and the recommendation they add up to.</summary>
/// <param name="Signals">In <see cref="SignalKind"/> order, one of each kind.</param>
/// <param name="Reasons">Why to move, in <see cref="MigrationReason"/> order; empty when staying.</param>
/// <param name="Recommendation">One sentence naming the reasons, e.g. "Move to dedicated: … hurt product quality; …".</param>
public sealed record MigrationAssessment(
    IReadOnlyList<MigrationSignal> Signals,
    IReadOnlyList<MigrationReason> Reasons,
    string Recommendation)
{
    public bool MoveToDedicated => Reasons.Count > 0;

    public MigrationSignal this[SignalKind kind] => Signals.Single(signal => signal.Kind == kind);
}
