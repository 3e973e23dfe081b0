namespace Portal.Core.Traffic;

/// <summary>
/// When the demo's traffic generator sends what: the phases of an endpoint's traffic and the pauses of its
/// conversations. Pure: the randomness comes in, so a seeded schedule is the same every time.
/// </summary>
public sealed class TrafficSchedule(TrafficShape shape, Random random)
{
    /// <summary>
    /// A serverless target begins with an idle gap: it was warm when it started, and the gap lets it go cold, so the
    /// first busy stretch shows a cold start within a minute instead of after a whole cycle.
    /// </summary>
    public static bool StartsBusy(bool serverless) => !serverless;

    /// <summary>A phase's length: the configured one, ±10 % so endpoints drift apart instead of moving in lockstep.</summary>
    public TimeSpan PhaseLength(bool busy) =>
        TimeSpan.FromSeconds((busy ? shape.BusySeconds : shape.IdleGapSeconds) * (0.9 + random.NextDouble() * 0.2));

    /// <summary>Mean pause between one conversation's requests, so that all of them together send the configured rate.</summary>
    public TimeSpan MeanPause => TimeSpan.FromSeconds(ConversationCount / Math.Max(0.01, shape.RequestsPerSecond));

    public int ConversationCount => Math.Max(1, shape.Conversations);

    /// <summary>Conversations do not start in lockstep: each waits up to one mean pause (at most 2 s) first.</summary>
    public TimeSpan StartOffset() => TimeSpan.FromSeconds(random.NextDouble() * Math.Min(MeanPause.TotalSeconds, 2));

    /// <summary>
    /// The pause after a request: exponential (arrivals of a Poisson process) with the mean pause, cut at the end of
    /// the busy stretch so no request is sent in the gap. Null when the stretch is over.
    /// </summary>
    public TimeSpan? NextPause(TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return null;
        }

        var pause = -Math.Log(1 - random.NextDouble()) * MeanPause.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Min(pause, remaining.TotalSeconds));
    }

    public bool Streams() => random.NextDouble() < shape.StreamingShare;

    /// <summary>A failed turn or a long conversation ends it; the next request opens a new one.</summary>
    public static bool StartsNewConversation(bool answered, int messages) => !answered || messages > TrafficShape.MaxMessages;

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
