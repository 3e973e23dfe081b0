using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Core.Logs;

/// <summary>
/// Which lines of a replica's log a reader asked for: a time range, a substring and at most <see cref="Limit"/> lines —
/// the newest ones when more match. The search runs over redacted lines only, so it cannot probe for a secret.
/// </summary>
public sealed partial record LogQuery(DateTimeOffset? Since, DateTimeOffset? Until, string? Search, int Limit)
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10_000;

    public static LogQuery Tail { get; } = new(null, null, null, DefaultLimit);

    /// <summary>
    /// Reads the query string's <c>since</c>, <c>until</c> (RFC 3339 times, or a span back from now: <c>30s</c>, <c>10m</c>,
    /// <c>2h</c>, <c>1d</c>), <c>q</c> and <c>limit</c>; field errors name what is wrong.
    /// </summary>
    public static (LogQuery? Query, IReadOnlyDictionary<string, string[]> Errors) Parse(
        string? since, string? until, string? q, string? limit, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        var from = Time(since, now, "since", errors);
        var to = Time(until, now, "until", errors);
        var count = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(limit)
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            errors["limit"] = [$"limit must be a whole number from 1 to {MaxLimit}."];
        }

        if (from is { } a && to is { } b && a > b)
        {
            errors["until"] = ["until must not be before since."];
        }

        if (q is { Length: > 200 })
        {
            errors["q"] = ["q must be at most 200 characters."];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new LogQuery(from, to, string.IsNullOrEmpty(q) ? null : q, count), errors);
    }

    /// <summary>Inside the time range. A line with no known time is inside only when no start is asked for.</summary>
    public bool InRange(LogLine line) =>
        line.Time is { } time
            ? (Since is null || time >= Since) && (Until is null || time <= Until)
            : Since is null;

    public bool Matches(LogLine line) =>
        Search is null || line.Text.Contains(Search, StringComparison.OrdinalIgnoreCase);

    /// <summary>The newest <see cref="Limit"/> lines that are in range and match, oldest first.</summary>
    public IReadOnlyList<LogLine> Select(IEnumerable<LogLine> lines)
    {
        var kept = new Queue<LogLine>();
        foreach (var line in lines)
        {
            if (InRange(line) && Matches(line))
            {
                kept.Enqueue(line);
                if (kept.Count > Limit)
                {
                    kept.Dequeue();
                }
            }
        }

        return kept.ToList();
    }

    private static DateTimeOffset? Time(string? text, DateTimeOffset now, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (SpanPattern().Match(text.Trim()) is { Success: true } span)
        {
            var amount = int.Parse(span.Groups["amount"].Value, CultureInfo.InvariantCulture);
            return now - span.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(amount),
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors[field] = [$"{field} must be a time such as 2026-12-07T10:00:00Z or a span back from now such as 10m, 2h or 1d."];
        return null;
    }

    [GeneratedRegex(@"^(?<amount>\d{1,6})(?<unit>[smhd])$", RegexOptions.CultureInvariant)]
    private static partial Regex SpanPattern();
}
