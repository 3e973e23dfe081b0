namespace Portal.Core.Sla;

/// <summary>A UTC calendar month, the period an SLA is measured over.</summary>
public readonly record struct SlaMonth
{
    public SlaMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Start of the next month (exclusive end).</summary>
    public DateTimeOffset End => Start.AddMonths(1);

    public UtcInterval Interval => new(Start, End);

    /// <summary>Minutes in the month: 40,320 (28 days), 41,760 (29), 43,200 (30) or 44,640 (31).</summary>
    public decimal Minutes => (decimal)(End - Start).TotalMinutes;

    public static SlaMonth Containing(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new SlaMonth(utc.Year, utc.Month);
    }

    public override string ToString() => $"{Year:D4}-{Month:D2}";
}
