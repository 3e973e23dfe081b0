using Portal.Core.Cost;

namespace Portal.Core.Tests.Cost;

public class UsageLedgerTests
{
    private static readonly Guid _chat = Guid.Parse("11111111-1111-1111-1111-111111111111");
    private static readonly Guid _keyA = Guid.Parse("aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa");
    private static readonly DateOnly _first = new(2026, 12, 1);

    private static readonly UsageFact[] _facts =
    [
        new(_first, _chat, _keyA, "chat", "serverless") { Requests = 10, Errors = 1, PromptTokens = 3_000, CompletionTokens = 1_000, ServerlessUsd = 0.0012m },
        new(_first, _chat, null, "chat", "dedicated") { BaselineGpuHours = 2m, BurstGpuHours = 0.5m, DedicatedUsd = 10m },
        new(_first.AddDays(2), _chat, _keyA, "chat", "dedicated") { Requests = 30, PromptTokens = 6_000, CompletionTokens = 0 },
    ];

    [Fact]
    public void Total_SumsEveryFactAndDerivesUnitCosts()
    {
        var total = UsageLedger.Total(_facts);

        Assert.Equal(40, total.Requests);
        Assert.Equal(1, total.Errors);
        Assert.Equal(10_000, total.Tokens);
        Assert.Equal(2.5m, total.BaselineGpuHours + total.BurstGpuHours);
        Assert.Equal(10.0012m, total.TotalUsd);
        Assert.Equal(1.00012m, total.UsdPer1kTokens); // $10.0012 ÷ 10 thousand tokens
        Assert.Equal(0.2500300m, total.UsdPerRequest);
    }

    [Fact]
    public void Group_ByKey_PutsGpuTimeInItsOwnGroupWithoutRequests()
    {
        var lines = UsageLedger.Group(_facts, UsageGroupBy.Key);

        var gpu = Assert.Single(lines, l => l.Group == UsageLedger.NoKey);
        Assert.Equal(10m, gpu.DedicatedUsd);
        Assert.Null(gpu.UsdPerRequest);
        Assert.Equal(40, Assert.Single(lines, l => l.Group == _keyA.ToString()).Requests);
    }

    [Fact]
    public void Group_ByDay_IsInDayOrder_AndTheGroupsAddUpToTheTotal()
    {
        var lines = UsageLedger.Group(_facts, UsageGroupBy.Day);

        Assert.Equal(["2026-12-01", "2026-12-03"], lines.Select(l => l.Group));
        Assert.Equal(UsageLedger.Total(_facts).TotalUsd, lines.Sum(l => l.TotalUsd));
    }

    [Fact]
    public void DailySpend_FillsDaysWithoutSpendWithZero()
    {
        var days = UsageLedger.DailySpend(_facts, _first, _first.AddDays(2));

        Assert.Equal([10.0012m, 0m, 0m], days.Select(d => d.Usd));
    }

    [Theory]
    [InlineData("endpoint", UsageGroupBy.Endpoint)]
    [InlineData("TIER", UsageGroupBy.Tier)]
    [InlineData(null, UsageGroupBy.Day)]
    public void TryParseGroupBy_ReadsNames(string? text, UsageGroupBy expected)
    {
        Assert.True(UsageLedger.TryParseGroupBy(text, out var parsed));
        Assert.Equal(expected, parsed);
    }

    [Theory]
    [InlineData("region")]
    [InlineData("2")]
    [InlineData("")]
    public void TryParseGroupBy_RefusesOthers(string text) => Assert.False(UsageLedger.TryParseGroupBy(text, out _));

    [Fact]
    public void Csv_WritesAHeaderAndOneRowPerLine_WithInvariantNumbersAndQuotedLabels()
    {
        var csv = UsageCsvWriter.Write(UsageLedger.Group(_facts, UsageGroupBy.Tier), g => g == "dedicated" ? "Dedicated, GPUs" : g);
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(string.Join(',', UsageCsvWriter.Columns), rows[0]);
        Assert.Equal("dedicated,\"Dedicated, GPUs\",30,0,6000,0,2,0.5,10,0,10,1.6666666666666666666666666667,0.3333333333333333333333333333", rows[1]);
        Assert.Equal(3, rows.Length);
    }
}
