using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public sealed class AuditRetentionTests
{
    private static readonly DateTimeOffset Cutoff = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static (long, DateTimeOffset) At(long sequence, int month, int day) => (sequence, new DateTimeOffset(2026, month, day, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Plan_SplitsOldRecordsByMonth_AndStopsAtTheFirstYoungRecord()
    {
        var live = new[] { At(101, 3, 30), At(102, 3, 31), At(103, 4, 2), At(104, 5, 31), At(105, 6, 2), At(106, 5, 1), At(107, 6, 3) };

        var plan = AuditRetention.Plan(live, Cutoff);

        Assert.Equal(
            [
                new AuditArchivePeriod(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), 101, 102, 2),
                new AuditArchivePeriod(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), 103, 103, 1),
                new AuditArchivePeriod(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero), 104, 104, 1),
            ],
            plan);
    }

    [Fact]
    public void Plan_NeverTakesTheChainsNewestRecord()
    {
        var plan = AuditRetention.Plan([At(7, 1, 1), At(8, 1, 2)], Cutoff);

        var only = Assert.Single(plan);
        Assert.Equal((7, 7, 1), (only.FirstSequence, only.LastSequence, only.Count));
        Assert.Empty(AuditRetention.Plan([At(7, 1, 1)], Cutoff));
    }

    [Fact]
    public void Plan_KeepsARecordSealedSlightlyOutOfOrder_InItsPredecessorsMonth()
    {
        var plan = AuditRetention.Plan([At(1, 2, 28), At(2, 3, 1), At(3, 2, 28), At(4, 3, 2), At(5, 5, 5)], Cutoff);

        Assert.Equal([(1L, 1L), (2L, 4L)], plan.Select(p => (p.FirstSequence, p.LastSequence)));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(1, true)]
    [InlineData(AuditRetention.MaxDays, true)]
    [InlineData(0, false)]
    [InlineData(-5, false)]
    [InlineData(AuditRetention.MaxDays + 1, false)]
    public void Validate_AcceptsOffOrADayCount(int? days, bool valid)
    {
        Assert.Equal(valid, AuditRetention.Validate(days) is null);
    }

    [Fact]
    public void CutoffAt_IsNullWhenRetentionIsOff()
    {
        Assert.Null(AuditRetention.CutoffAt(null, Cutoff));
        Assert.Equal(Cutoff.AddDays(-30), AuditRetention.CutoffAt(30, Cutoff));
    }

    [Fact]
    public void FileName_NamesChainMonthAndRange()
    {
        Assert.Equal("platform-2026-03-101-102.jsonl",
            AuditRetention.FileName("platform", new AuditArchivePeriod(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), 101, 102, 2)));
    }
}
