namespace Portal.Core.Latency;

/// <summary>Where a target's idle gap came from.</summary>
public enum IdleGapSource
{
    /// <summary>Set on the target by a person (its provider's documented scale-to-zero delay, say).</summary>
    Configured,

    /// <summary>Learnt from the silences that preceded the target's recent cold starts.</summary>
    Learnt,

    /// <summary>Neither: the portal-wide default (<c>Observability:IdleGapMinutes</c>).</summary>
    Default,
}

/// <summary>A target's idle gap and where it came from.</summary>
public sealed record IdleGap(TimeSpan Length, IdleGapSource Source);

/// <summary>
/// One cold start of a target with what came before it: <paramref name="Silence"/> since the target's previous request
/// (null when it was the first ever seen), and whether it arrived while that previous request was still waiting for a
/// reload (a cold start whose first token came after this one arrived).
/// </summary>
public sealed record ColdStartSilence(DateTimeOffset Time, TimeSpan? Silence, bool ArrivedDuringReload);

/// <summary>
/// The idle gap of a target: configured, else learnt, else the default. Learnt = the shortest silence before a cold
/// start among the target's most recent <see cref="Recent"/> cold starts that opened a cold spell, once at least
/// <see cref="MinObservations"/> of them are known. A cold start that arrived while the previous request still waited for
/// its reload opened nothing (it waits for the same reload, and the silence before it says nothing), and
/// silences shorter than <see cref="Floor"/> are ignored (no provider scales to zero that fast: such a slow request was
/// a noisy neighbour or a queue, not an eviction). The shortest, because the provider evicted after at most that long.
/// </summary>
public static class IdleGapRule
{
    public const int Recent = 5;

    public const int MinObservations = 2;

    public static readonly TimeSpan Floor = TimeSpan.FromSeconds(10);

    /// <summary>The learnt gap, or null while fewer than <see cref="MinObservations"/> usable cold starts are known.</summary>
    public static TimeSpan? Learn(IEnumerable<ColdStartSilence> coldStarts)
    {
        ArgumentNullException.ThrowIfNull(coldStarts);
        var silences = coldStarts
            .Where(c => c is { ArrivedDuringReload: false, Silence: { } s } && s >= Floor)
            .OrderByDescending(c => c.Time)
            .Take(Recent)
            .Select(c => c.Silence!.Value)
            .ToList();
        return silences.Count >= MinObservations ? silences.Min() : null;
    }

    /// <summary>Configured wins, then learnt, then the default.</summary>
    public static IdleGap Choose(TimeSpan? configured, TimeSpan? learnt, TimeSpan fallback) =>
        configured is { } c && c > TimeSpan.Zero ? new IdleGap(c, IdleGapSource.Configured)
        : learnt is { } l && l > TimeSpan.Zero ? new IdleGap(l, IdleGapSource.Learnt)
        : new IdleGap(fallback, IdleGapSource.Default);
}
