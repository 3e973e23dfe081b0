namespace Portal.Core.Audit;

/// <summary>One file the retention archive writes: a chain's records of one month, by sequence.</summary>
/// <param name="Month">The first day of the month (UTC) the records were sealed in.</param>
/// <param name="FirstSequence">The first record of the file.</param>
/// <param name="LastSequence">The last record of the file.</param>
/// <param name="Count">How many records, contiguous from <paramref name="FirstSequence"/> to <paramref name="LastSequence"/>.</param>
public sealed record AuditArchivePeriod(DateTimeOffset Month, long FirstSequence, long LastSequence, long Count)
{
    /// <summary>The end of the month the file covers (records before it).</summary>
    public DateTimeOffset MonthEnd => Month.AddMonths(1);
}

/// <summary>
/// Which records leave the live table (<c>Audit:RetentionDays</c>): in each chain, the run of records from the archive
/// boundary on that are all older than the retention, cut into one file per month. A chain is archived as a prefix,
/// so what stays live is again a contiguous chain that starts where the archive ends.
/// </summary>
public static class AuditRetention
{
    /// <summary>The longest retention accepted: a hundred years.</summary>
    public const int MaxDays = 36_500;

    /// <summary>Why <paramref name="retentionDays"/> is not a retention, or null when it is (null: keep forever).</summary>
    public static string? Validate(int? retentionDays) => retentionDays is null or (>= 1 and <= MaxDays)
        ? null
        : $"Audit:RetentionDays must be between 1 and {MaxDays} days, or left empty to keep every record live.";

    /// <summary>Records sealed before this moment are due for the archive; null when nothing ever is.</summary>
    public static DateTimeOffset? CutoffAt(int? retentionDays, DateTimeOffset now) =>
        retentionDays is { } days ? now.AddDays(-days) : null;

    /// <summary>
    /// The files to write for one chain. <paramref name="live"/> is the chain's live records after the archive
    /// boundary, in ascending sequence order. The archive takes them up to the first record not older than
    /// <paramref name="cutoff"/>, and never the newest one: the chain's head stays in the live table, where appends
    /// read it. A record whose time is a little before its predecessor's (times are taken before sealing) stays in its
    /// predecessor's month, so every file is contiguous.
    /// </summary>
    public static IReadOnlyList<AuditArchivePeriod> Plan(IReadOnlyList<(long Sequence, DateTimeOffset OccurredAt)> live, DateTimeOffset cutoff)
    {
        ArgumentNullException.ThrowIfNull(live);
        var periods = new List<AuditArchivePeriod>();
        DateTimeOffset? month = null;
        long first = 0, last = 0, count = 0;
        for (var i = 0; i < live.Count - 1; i++)
        {
            var (sequence, occurredAt) = live[i];
            if (occurredAt >= cutoff)
            {
                break;
            }

            var own = MonthOf(occurredAt);
            if (month is null || own > month)
            {
                if (month is { } done)
                {
                    periods.Add(new AuditArchivePeriod(done, first, last, count));
                }

                month = own;
                first = sequence;
                count = 0;
            }

            last = sequence;
            count++;
        }

        if (month is { } open)
        {
            periods.Add(new AuditArchivePeriod(open, first, last, count));
        }

        return periods;
    }

    /// <summary>The archive file's name: chain, month and sequence range, so two runs in one month never collide.</summary>
    public static string FileName(string chain, AuditArchivePeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return $"{chain}-{period.Month:yyyy-MM}-{period.FirstSequence}-{period.LastSequence}.jsonl";
    }

    private static DateTimeOffset MonthOf(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
