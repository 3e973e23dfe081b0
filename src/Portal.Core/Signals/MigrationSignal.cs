namespace Portal.Core.Signals;

/// <summary>One evaluated migration signal, ready to render.</summary>
/// <param name="Value">
/// The measured number: p99/p50 ratio, cold-start count, projected serverless $/month, or number of requirements;
/// null when it could not be measured.
/// </param>
/// <param name="Threshold">
/// What <paramref name="Value"/> is compared with: ratio 3 (fires above), 1 cold start (fires at or above),
/// dedicated $/month (fires at or above), 1 requirement (fires at or above).
/// </param>
/// <param name="Evidence">One sentence saying what was measured and why that gives <paramref name="State"/>.</param>
/// <param name="Unit">
/// What <paramref name="Value"/> counts when a kind can be measured two ways: <see cref="UtilisationUnit"/> for economics
/// measured against a replica's capacity; null for the kind's usual unit.
/// </param>
public sealed record MigrationSignal(SignalKind Kind, SignalState State, double? Value, double Threshold, string Evidence, string? Unit = null)
{
    /// <summary>Economics measured as the share (0..1) of a replica's capacity the traffic uses.</summary>
    public const string UtilisationUnit = "utilisation";

    public bool Fires => State == SignalState.Fires;
}
