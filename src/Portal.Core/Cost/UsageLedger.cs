using System.Globalization;
using System.Text;
using Portal.Core.Latency;

namespace Portal.Core.Cost;

/// <summary>How a usage report is split.</summary>
public enum UsageGroupBy
{
    Day,
    Endpoint,
    Key,
    Model,
    Tier,
}

/// <summary>
/// One day of one endpoint × key × model × tier: measured requests and their serverless spend, or a deployment's GPU
/// time (which belongs to no key: <see cref="KeyId"/> is null).
/// </summary>
public sealed record UsageFact(DateOnly Day, Guid? EndpointId, Guid? KeyId, string? Model, string Tier)
{
    public long Requests { get; init; }
    public long Errors { get; init; }
    public long PromptTokens { get; init; }
    public long CompletionTokens { get; init; }
    public decimal BaselineGpuHours { get; init; }
    public decimal BurstGpuHours { get; init; }
    public decimal DedicatedUsd { get; init; }
    public decimal ServerlessUsd { get; init; }
}

/// <summary>A line of a usage report: the sums of its facts and the unit costs they give.</summary>
public sealed record UsageLine(
    string Group,
    long Requests,
    long Errors,
    long PromptTokens,
    long CompletionTokens,
    decimal BaselineGpuHours,
    decimal BurstGpuHours,
    decimal DedicatedUsd,
    decimal ServerlessUsd)
{
    public long Tokens => PromptTokens + CompletionTokens;
    public decimal TotalUsd => DedicatedUsd + ServerlessUsd;
    public decimal? UsdPer1kTokens => UsageCost.Per1kTokens(TotalUsd, Tokens);
    public decimal? UsdPerRequest => CostCalculator.PerRequest(TotalUsd, Requests);
}

/// <summary>Sums usage facts by a dimension. Money is kept exact (decimal); rounding is for display only.</summary>
public static class UsageLedger
{
    /// <summary>The group of GPU time under <see cref="UsageGroupBy.Key"/>: replicas are paid by the hour, not by a key.</summary>
    public const string NoKey = "";

    public static UsageLine Total(IEnumerable<UsageFact> facts) => Sum("total", facts);

    /// <summary>One line per group, ordered by day for <see cref="UsageGroupBy.Day"/>, else by spend (highest first) then name.</summary>
    public static IReadOnlyList<UsageLine> Group(IEnumerable<UsageFact> facts, UsageGroupBy groupBy)
    {
        var lines = facts.GroupBy(f => GroupOf(f, groupBy)).Select(g => Sum(g.Key, g));
        return groupBy == UsageGroupBy.Day
            ? lines.OrderBy(l => l.Group, StringComparer.Ordinal).ToList()
            : lines.OrderByDescending(l => l.TotalUsd).ThenBy(l => l.Group, StringComparer.Ordinal).ToList();
    }

    /// <summary>Every day of [<paramref name="from"/>, <paramref name="to"/>] with its spend, zero where nothing was spent: the chart's series.</summary>
    public static IReadOnlyList<(DateOnly Day, decimal Usd)> DailySpend(IEnumerable<UsageFact> facts, DateOnly from, DateOnly to)
    {
        var byDay = facts.GroupBy(f => f.Day).ToDictionary(g => g.Key, g => g.Sum(f => f.DedicatedUsd + f.ServerlessUsd));
        var days = new List<(DateOnly, decimal)>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            days.Add((day, byDay.GetValueOrDefault(day)));
        }

        return days;
    }

    /// <summary>The group a fact falls in: a day (<c>yyyy-MM-dd</c>), an endpoint or key id, a model name or a tier.</summary>
    public static string GroupOf(UsageFact fact, UsageGroupBy groupBy) => groupBy switch
    {
        UsageGroupBy.Day => fact.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        UsageGroupBy.Endpoint => fact.EndpointId?.ToString("D") ?? "",
        UsageGroupBy.Key => fact.KeyId?.ToString("D") ?? NoKey,
        UsageGroupBy.Model => fact.Model ?? "",
        UsageGroupBy.Tier => fact.Tier,
        _ => throw new ArgumentOutOfRangeException(nameof(groupBy), groupBy, null),
    };

    public static bool TryParseGroupBy(string? text, out UsageGroupBy groupBy)
    {
        groupBy = UsageGroupBy.Day;
        return text is null || (Enum.TryParse(text, ignoreCase: true, out groupBy) && Enum.IsDefined(groupBy) && !int.TryParse(text, out _));
    }

    private static UsageLine Sum(string group, IEnumerable<UsageFact> facts)
    {
        long requests = 0, errors = 0, prompt = 0, completion = 0;
        decimal baseline = 0, burst = 0, dedicated = 0, serverless = 0;
        foreach (var f in facts)
        {
            (requests, errors, prompt, completion) = (requests + f.Requests, errors + f.Errors, prompt + f.PromptTokens, completion + f.CompletionTokens);
            (baseline, burst, dedicated, serverless) = (baseline + f.BaselineGpuHours, burst + f.BurstGpuHours, dedicated + f.DedicatedUsd, serverless + f.ServerlessUsd);
        }

        return new UsageLine(group, requests, errors, prompt, completion, baseline, burst, dedicated, serverless);
    }
}

/// <summary>A usage report as CSV: RFC 4180, invariant numbers, full precision (a spreadsheet rounds, not the export).</summary>
public static class UsageCsvWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "group", "label", "requests", "errors", "promptTokens", "completionTokens", "baselineGpuHours", "burstGpuHours",
        "dedicatedUsd", "serverlessUsd", "totalUsd", "usdPer1kTokens", "usdPerRequest",
    ];

    /// <param name="label">The display name of a group (an endpoint's or key's name).</param>
    public static string Write(IEnumerable<UsageLine> lines, Func<string, string> label)
    {
        var builder = new StringBuilder().Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var line in lines)
        {
            string?[] fields =
            [
                line.Group, label(line.Group), N(line.Requests), N(line.Errors), N(line.PromptTokens), N(line.CompletionTokens),
                N(line.BaselineGpuHours), N(line.BurstGpuHours), N(line.DedicatedUsd), N(line.ServerlessUsd), N(line.TotalUsd),
                N(line.UsdPer1kTokens), N(line.UsdPerRequest),
            ];
            for (var i = 0; i < fields.Length; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                SampleCsvWriter.AppendField(builder, fields[i] ?? "");
            }

            builder.Append("\r\n");
        }

        return builder.ToString();
    }

    private static string N(long value) => value.ToString(CultureInfo.InvariantCulture);

    // Dividing by 1.000… drops trailing zeros a stored scale leaves (6.0000 → 6) without changing the value.
    private static string? N(decimal? value) => (value / 1.0000000000000000000000000000m)?.ToString(CultureInfo.InvariantCulture);
}
