using System.Globalization;

namespace Portal.Core.Sla;

/// <summary>What a production request says about the upstream that was sent it.</summary>
public enum UpstreamOutcome
{
    /// <summary>Says nothing: the gateway refused it itself (limits, a full queue, no capacity) or the caller left.</summary>
    NotCounted,

    /// <summary>The upstream answered: a success, or a 4xx that is the caller's (or the provider's rate limit).</summary>
    Answered,

    /// <summary>The upstream failed: a 5xx of its own, no connection, no answer in time, or a stream that broke.</summary>
    Failed,
}

/// <summary>
/// Production requests of one kind that the gateway sent a target in one probe window: the status the caller saw,
/// the gateway's error code (null when the upstream's own answer was passed through), whether an upstream was tried,
/// and how many such requests there were.
/// </summary>
public sealed record ProductionRequests(int StatusCode, string? ErrorCode, bool Attempted, int Count = 1);

/// <summary>What a window's production requests say: how many reached the upstream, how many failed there, and whether
/// that fails the window.</summary>
public sealed record PassiveVerdict(int Reached, int Failed, bool Fails, string? Detail)
{
    public static PassiveVerdict None { get; } = new(0, 0, false, null);
}

/// <summary>
/// Passive evidence for a serverless target's availability: the production requests the gateway sent it in a probe
/// window. The window fails when at least <c>minRequests</c> of them reached the upstream and at least
/// <c>failurePercent</c> % of those failed on the upstream's side. A listing of models can answer while every chat
/// fails; only real traffic shows that, and only a failure that is the upstream's may count against it.
/// </summary>
public static class PassiveErrorRule
{
    public const int DefaultMinRequests = 3;

    public const int DefaultFailurePercent = 50;

    // The gateway's codes for an upstream that could not be reached, did not answer in time or broke its stream
    // (GatewayError in Portal.Gateway); every other code of the gateway's is a refusal of its own.
    private static readonly HashSet<string> UpstreamFailures = ["upstream_unavailable", "upstream_timeout", "upstream_stream_error"];

    // The upstream's own error event inside a stream: its status decides whose fault it was.
    private const string UpstreamError = "upstream_error";

    // A 429 the upstream answered, held back while another replica might take the request.
    private const string UpstreamQueueFull = "upstream_queue_full";

    public static UpstreamOutcome Classify(ProductionRequests request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Attempted)
        {
            return UpstreamOutcome.NotCounted;
        }

        return request.ErrorCode switch
        {
            null or UpstreamError => request.StatusCode >= 500 ? UpstreamOutcome.Failed : UpstreamOutcome.Answered,
            UpstreamQueueFull => UpstreamOutcome.Answered,
            var code when UpstreamFailures.Contains(code) => UpstreamOutcome.Failed,
            _ => UpstreamOutcome.NotCounted,
        };
    }

    /// <summary>
    /// The requests a tick at <paramref name="now"/> judges: those received since the tick before, [now − interval, now).
    /// Ticks run one interval apart, so every request is judged once.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(DateTimeOffset now, TimeSpan interval)
    {
        ProbeWindow.EnsureInterval(interval);
        return (now - interval, now);
    }

    /// <summary>Judges one window's production requests of one target.</summary>
    public static PassiveVerdict Judge(IEnumerable<ProductionRequests> requests, int minRequests, int failurePercent)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(minRequests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(failurePercent, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(failurePercent, 100);

        var judged = requests.Select(r => (Request: r, Outcome: Classify(r))).Where(r => r.Outcome != UpstreamOutcome.NotCounted).ToList();
        var reached = judged.Sum(r => r.Request.Count);
        var failures = judged.Where(r => r.Outcome == UpstreamOutcome.Failed).Select(r => r.Request).ToList();
        var failed = failures.Sum(r => r.Count);
        if (reached < minRequests || (long)failed * 100 < (long)failurePercent * reached)
        {
            return new PassiveVerdict(reached, failed, false, null);
        }

        var seen = failures.GroupBy(Label).Select(g => (Label: g.Key, Count: g.Sum(r => r.Count)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Label, StringComparer.Ordinal).Select(g => g.Label);
        return new PassiveVerdict(reached, failed, true,
            $"{failed} of {reached} production requests failed upstream ({string.Join(", ", seen)})");
    }

    /// <summary>
    /// A window of a serverless target: down when its liveness probe failed or its production requests failed it;
    /// the detail says which, so an incident shows whether it was the probe or passive evidence.
    /// </summary>
    public static (bool Ok, string? Detail) Window(bool probeOk, string? probeDetail, PassiveVerdict passive)
    {
        ArgumentNullException.ThrowIfNull(passive);
        return (probeOk, passive.Fails) switch
        {
            (true, false) => (true, null),
            (true, true) => (false, passive.Detail),
            (false, false) => (false, probeDetail),
            (false, true) => (false, $"{probeDetail ?? "the liveness probe failed"}; {passive.Detail}"),
        };
    }

    private static string Label(ProductionRequests request) =>
        request.ErrorCode is null or UpstreamError
            ? request.StatusCode.ToString(CultureInfo.InvariantCulture)
            : $"{request.StatusCode.ToString(CultureInfo.InvariantCulture)} {request.ErrorCode}";
}
