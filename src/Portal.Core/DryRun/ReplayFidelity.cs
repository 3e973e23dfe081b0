namespace Portal.Core.DryRun;

/// <summary>
/// How closely the engines saw what the replay meant to send: counts and token totals on both sides, and how late each
/// arrival was against its scheduled time (the n-th arrival against the n-th scheduled request, replay milliseconds;
/// negative = early). The report shows it as the replay's own accuracy.
/// </summary>
public sealed record ReplayFidelity(
    int Scheduled,
    int Arrived,
    long ScheduledPromptTokens,
    long ArrivedPromptTokens,
    long ScheduledCompletionTokens,
    long ArrivedCompletionTokens,
    double? MedianLatenessMs,
    double? MaxLatenessMs)
{
    public static ReplayFidelity Compare(ReplaySchedule schedule, IReadOnlyList<EngineArrival> arrivals)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(arrivals);
        var arrived = arrivals.OrderBy(a => a.Offset).ToList();
        var lateness = schedule.Requests.Zip(arrived, (s, a) => (a.Offset - s.Offset).TotalMilliseconds).Order().ToArray();
        return new ReplayFidelity(
            schedule.Requests.Count,
            arrived.Count,
            schedule.Requests.Sum(r => (long)r.Recorded.PromptTokens),
            arrived.Sum(a => (long)a.PromptTokens),
            schedule.Requests.Sum(r => (long)ReplayRequests.MaxTokens(r.Recorded)),
            arrived.Sum(a => (long)a.MaxTokens),
            lateness.Length == 0 ? null : lateness[lateness.Length / 2],
            lateness.Length == 0 ? null : lateness.Max(Math.Abs));
    }
}

/// <summary>What a replayed request asks of the engine.</summary>
public static class ReplayRequests
{
    /// <summary>Exactly the recorded completion tokens (a request needs at least one).</summary>
    public static int MaxTokens(RecordedRequest recorded) => Math.Max(1, recorded.CompletionTokens);
}
