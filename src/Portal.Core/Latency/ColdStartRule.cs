namespace Portal.Core.Latency;

/// <summary>
/// What counts as a cold-start event: a production request whose TTFT is strictly above <see cref="Threshold"/>
/// (default 5 s, so 5.000 s is not one and 5.001 s is). <see cref="IdleGap"/> only annotates an event: one that
/// followed at least that long without any request to the same target is very likely a scale-from-zero.
/// </summary>
public sealed record ColdStartRule
{
    /// <summary>The default rule: 5 s threshold (DESIGN), 5 min idle gap (a typical serverless scale-to-zero delay).</summary>
    public ColdStartRule()
    {
    }

    public ColdStartRule(TimeSpan threshold, TimeSpan idleGap)
    {
        Threshold = threshold;
        IdleGap = idleGap;
    }

    /// <summary>5 s threshold, 5 min idle gap.</summary>
    public static ColdStartRule Default { get; } = new();

    /// <summary>TTFT above which a request is a cold start (configurable; bind from configuration).</summary>
    public TimeSpan Threshold
    {
        get;
        init => field = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Threshold), value, "A cold-start threshold is positive.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>Silence on a target (no request of any kind) that marks an event as following an idle period.</summary>
    public TimeSpan IdleGap
    {
        get;
        init => field = value > TimeSpan.Zero
            ? value
            : throw new ArgumentOutOfRangeException(nameof(IdleGap), value, "An idle gap is positive.");
    } = TimeSpan.FromMinutes(5);

    /// <summary>True when <paramref name="ttftMs"/> is strictly above the threshold.</summary>
    public bool IsColdStart(double ttftMs) => ttftMs > Threshold.TotalMilliseconds;

    /// <summary>True when <paramref name="ttft"/> is strictly above the threshold.</summary>
    public bool IsColdStart(TimeSpan ttft) => ttft > Threshold;

    /// <summary>
    /// True when the target saw no request for at least <see cref="IdleGap"/> before <paramref name="time"/>, or never
    /// saw one (<paramref name="previousRequest"/> null).
    /// </summary>
    public bool FollowedIdleGap(DateTimeOffset time, DateTimeOffset? previousRequest) =>
        previousRequest is not { } previous || time - previous >= IdleGap;

    /// <summary>
    /// The cold-start events among <paramref name="samples"/>, oldest first. Only production samples with a TTFT can
    /// be events, but every sample (probes and shadow copies too) keeps a target warm, so all of them count when
    /// measuring the idle gap before an event. The samples' own <see cref="LatencySample.IsColdStart"/> is ignored:
    /// this rule decides.
    /// </summary>
    public IReadOnlyList<ColdStartEvent> FindEvents(IEnumerable<LatencySample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var events = new List<ColdStartEvent>();
        foreach (var target in samples.GroupBy(sample => sample.TargetId))
        {
            DateTimeOffset? previous = null;
            foreach (var sample in target.OrderBy(sample => sample.Time))
            {
                if (sample is { Traffic: TrafficKind.Production, TtftMs: { } ttft } && IsColdStart(ttft))
                {
                    events.Add(new ColdStartEvent(
                        sample.Time,
                        sample.EndpointId,
                        sample.TargetId,
                        ttft,
                        FollowedIdleGap(sample.Time, previous),
                        previous is { } before ? sample.Time - before : null));
                }

                previous = sample.Time;
            }
        }

        return [.. events.OrderBy(e => e.Time).ThenBy(e => e.TargetId)];
    }

    /// <summary>The "1 in N" of a rate: requests ÷ events rounded to the nearest whole number; null when no events.</summary>
    public static long? OneIn(long requests, long events) =>
        events <= 0 ? null : Math.Max(1, (long)Math.Round((double)requests / events, MidpointRounding.AwayFromZero));
}
