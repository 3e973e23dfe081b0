namespace Portal.Core.Signals;

/// <summary>One need serverless cannot meet, and where the portal learnt of it.</summary>
/// <param name="Need">A phrase, e.g. "custom or fine-tuned weights", "a region lock".</param>
/// <param name="Source">Where it comes from, e.g. "stated on the endpoint", "the endpoint's region lock (eu-frankfurt)".</param>
public sealed record HardRequirement(string Need, string Source);

/// <summary>
/// The needs of one endpoint that only dedicated can meet (<see cref="Needs"/>), and what was looked at and found
/// nothing (<see cref="Checked"/>), so the evidence names every source either way.
/// </summary>
public sealed record HardRequirements(IReadOnlyList<HardRequirement> Needs, IReadOnlyList<string> Checked)
{
    public static HardRequirements None { get; } = new([], []);

    /// <summary>The needs as phrases, in <see cref="RequirementRule"/>'s fixed order.</summary>
    public IReadOnlyList<string> Names() => [.. Needs.Select(n => n.Need)];
}
