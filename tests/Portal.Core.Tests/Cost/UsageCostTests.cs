using Portal.Core.Cost;
using Portal.Core.Gateway;

namespace Portal.Core.Tests.Cost;

public class UsageCostTests
{
    private static readonly TokenPrices _prices = new(InputPerMillionUsd: 0.20m, OutputPerMillionUsd: 0.60m);

    [Theory]
    [InlineData(TargetKind.Dedicated, false, "dedicated")]
    [InlineData(TargetKind.Serverless, false, "serverless")]
    [InlineData(TargetKind.Dedicated, true, "shadow")]
    [InlineData(TargetKind.Serverless, true, "shadow")]
    [InlineData(null, false, "dedicated")]
    public void TierOf_ShadowCopiesAreTheirOwnTier(TargetKind? target, bool shadow, string expected) =>
        Assert.Equal(expected, UsageCost.TierOf(target, shadow));

    [Fact]
    public void RequestUsd_Serverless_PricesPromptAndCompletionTokensPerMillion()
    {
        // 1,000 × $0.20 / 1M + 500 × $0.60 / 1M = $0.0002 + $0.0003
        Assert.Equal(0.0005m, UsageCost.RequestUsd(TargetKind.Serverless, 1_000, 500, _prices));
    }

    [Fact]
    public void RequestUsd_Dedicated_IsPaidByTheHourNotByTheToken() =>
        Assert.Equal(0m, UsageCost.RequestUsd(TargetKind.Dedicated, 1_000, 500, _prices));

    [Fact]
    public void RequestUsd_MissingTokenCounts_CountAsZero() =>
        Assert.Equal(0m, UsageCost.RequestUsd(TargetKind.Serverless, null, null, _prices));

    [Fact]
    public void Per1kTokens_DividesByThousands()
    {
        Assert.Equal(0.25m, UsageCost.Per1kTokens(1.5m, 6_000));
        Assert.Null(UsageCost.Per1kTokens(1.5m, 0));
    }

    [Theory]
    [InlineData("2026-12", 2026, 12)]
    [InlineData("2027-01", 2027, 1)]
    public void TryParseMonth_ReadsYearAndMonth(string text, int year, int month)
    {
        Assert.True(UsageCost.TryParseMonth(text, out var first));
        Assert.Equal(new DateOnly(year, month, 1), first);
        Assert.Equal(text, UsageCost.MonthName(first));
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-1")]
    [InlineData("26-12-01")]
    [InlineData("december")]
    [InlineData(null)]
    public void TryParseMonth_RefusesOtherShapes(string? text) => Assert.False(UsageCost.TryParseMonth(text, out _));
}
