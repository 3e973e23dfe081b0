using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary><c>portal usage</c> and <c>portal budgets list|set|remove</c>: what the endpoints cost, against budgets.</summary>
internal static class UsageCommands
{
    public static Command CreateUsage(Globals globals)
    {
        var month = new Option<string?>("--month") { Description = "The UTC month, YYYY-MM; default this month to date.", HelpName = "YYYY-MM" };
        var by = new Option<string>("--by") { Description = "Split by day, endpoint, key, model or tier.", DefaultValueFactory = _ => "day" };
        by.AcceptOnlyFromAmong("day", "endpoint", "key", "model", "tier");
        var csv = new Option<bool>("--csv") { Description = "Write the report as CSV to standard output." };
        var usage = new Command("usage", """
            Usage and cost per UTC day: requests, errors, tokens, GPU-hours of baseline and burst replicas, dedicated and
            serverless spend, cost per 1,000 tokens and per request.

            Examples:
              portal usage
              portal usage --month 2026-12 --by endpoint
              portal usage --by key --csv > usage.csv
            """) { month, by, csv };
        globals.SetAction(usage, async run =>
        {
            (string, string?)[] query = [("month", run.Value(month)), ("groupBy", run.Value(by))];
            if (run.Value(csv))
            {
                using var buffer = new MemoryStream();
                await run.Portal.DownloadAsync("usage.csv", buffer, run.CancellationToken, query);
                await run.Out.WriteAsync(Encoding.UTF8.GetString(buffer.ToArray()));
                return ExitCodes.Success;
            }

            return run.Print(await run.Portal.GetAsync("usage", run.CancellationToken, query), body => WriteReport(run.Out, body));
        });
        return usage;
    }

    public static Command CreateBudgets(Globals globals)
    {
        var list = new Command("list", """
            The tenant's and its endpoints' monthly budgets, this month's spend against each, and the alerts told.

            Example:
              portal budgets list
            """);
        globals.SetAction(list, async run => run.Print(await run.Portal.GetAsync("budgets", run.CancellationToken), body => WriteBudgets(run.Out, body)));

        var setEndpoint = EndpointOption();
        var amount = new Option<decimal>("--monthly-usd") { Description = "The month's budget in USD.", Required = true, HelpName = "USD" };
        var alertAt = new Option<string?>("--alert-at") { Description = "Percentages that alert, comma-separated (default 50,80,100).", HelpName = "PERCENTS" };
        var set = new Command("set", """
            Set the tenant's monthly budget, or an endpoint's with --endpoint (TenantAdmin; audited). Each alert percentage is
            told once a month to the tenant's webhooks when the month-to-date spend reaches it.

            Examples:
              portal budgets set --monthly-usd 500
              portal budgets set --endpoint chat-small --monthly-usd 120 --alert-at 50,90,100
            """) { setEndpoint, amount, alertAt };
        globals.SetAction(set, async run =>
        {
            int[]? percentages = null;
            if (run.Value(alertAt) is { } text)
            {
                var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (parts.Any(p => !int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                {
                    await run.Error.WriteLineAsync("--alert-at takes whole percentages separated by commas, e.g. 50,80,100.");
                    return ExitCodes.Usage;
                }

                percentages = parts.Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            }

            var path = await PathAsync(run, run.Value(setEndpoint));
            var body = await run.Portal.PutAsync(path, new { monthlyUsd = run.Value(amount), alertPercentages = percentages }, run.CancellationToken);
            return run.Print(body, b => run.Out.WriteLine($"Budget of {b.Text("scope")}: {Usd(b, "monthlyUsd")} USD a month, alerts at {Percentages(b)} %."));
        });

        var removeEndpoint = EndpointOption();
        var remove = new Command("remove", """
            Remove the tenant's budget, or an endpoint's with --endpoint (TenantAdmin; audited).

            Example:
              portal budgets remove --endpoint chat-small
            """) { removeEndpoint };
        globals.SetAction(remove, async run =>
        {
            var body = await run.Portal.DeleteAsync(await PathAsync(run, run.Value(removeEndpoint)), run.CancellationToken);
            return run.Print(body, b => run.Out.WriteLine($"Budget of {b.Text("scope")} removed."));
        });

        return new Command("budgets", """
            Monthly spending budgets of the tenant and its endpoints, with alerts at chosen percentages.

            Examples:
              portal budgets list
              portal budgets set --monthly-usd 500
            """) { list, set, remove };
    }

    private static Option<string?> EndpointOption() =>
        new("--endpoint") { Description = "The endpoint's name or id; omit for the tenant's budget.", HelpName = "ENDPOINT" };

    private static async Task<string> PathAsync(Invocation run, string? endpoint) =>
        endpoint is null ? "budgets" : $"budgets/endpoints/{await EndpointsCommands.ResolveAsync(run, endpoint)}";

    private static string Percentages(JsonElement budget) => string.Join(", ", budget.GetProperty("alertPercentages").Items().Select(p => p.GetInt32()));

    private static void WriteReport(TextWriter output, JsonElement report)
    {
        var total = report.Child("total");
        output.WriteLine($"{report.Text("from")} to {report.Text("to")}: {Usd(total, "totalUsd")} USD "
            + $"({Usd(total, "dedicatedUsd")} dedicated, {Usd(total, "serverlessUsd")} serverless), {total.Text("requests")} requests.");
        Table.Write(output, [report.Text("groupBy") ?? "group", "REQUESTS", "ERRORS", "TOKENS IN", "TOKENS OUT", "GPU-H BASE", "GPU-H BURST", "USD", "USD/1K TOK", "USD/REQ"],
            report.GetProperty("lines").Items().Select(l => (IReadOnlyList<string?>)
            [
                l.Text("label"), l.Text("requests"), l.Text("errors"), l.Text("promptTokens"), l.Text("completionTokens"),
                Round(l, "baselineGpuHours", 3), Round(l, "burstGpuHours", 3), Usd(l, "totalUsd"), Round(l, "usdPer1kTokens", 6), Round(l, "usdPerRequest", 6),
            ]),
            "Nothing used in this window.");
        foreach (var budget in report.GetProperty("budgets").Items())
        {
            output.WriteLine($"Budget of {budget.Text("scope")}: {Usd(budget, "spendUsd")} of {Usd(budget, "monthlyUsd")} USD this month.");
        }
    }

    private static void WriteBudgets(TextWriter output, JsonElement budgets) =>
        Table.Write(output, ["SCOPE", "MONTHLY USD", "SPENT", "USED", "ALERTS AT", "TOLD THIS MONTH"],
            budgets.Items().Select(b => (IReadOnlyList<string?>)
            [
                b.Text("scope"), Usd(b, "monthlyUsd"), Usd(b, "spendUsd"), Round(b, "usedPercent", 1) + " %", Percentages(b),
                string.Join(", ", b.GetProperty("alerts").Items().Select(a => a.GetProperty("percent").GetInt32() + " %")),
            ]),
            "No budgets. Set one with: portal budgets set --monthly-usd 500");

    private static string Usd(JsonElement element, string name) => Round(element, name, 2) ?? "-";

    private static string? Round(JsonElement element, string name, int decimals) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? decimal.Round(value.GetDecimal(), decimals).ToString("0.".PadRight(decimals + 2, '#'), CultureInfo.InvariantCulture)
            : null;
}
