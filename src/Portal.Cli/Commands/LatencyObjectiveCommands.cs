using System.CommandLine;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary><c>portal endpoints objective show|set|remove</c>: an endpoint's TTFT objective.</summary>
internal static class LatencyObjectiveCommands
{
    public static Command Create(Globals globals)
    {
        var objective = new Command("objective", """
            An endpoint's TTFT objective ("p99 ≤ 800 ms over 30 days"), its latency budget and burn rates.

            Examples:
              portal endpoints objective show chat-small
              portal endpoints objective set chat-small --threshold-ms 800 --percentile 99 --window-days 30
            """);

        var showEndpoint = Endpoint();
        var show = new Command("show", """
            The objective and how the endpoint stands now: the measured percentile of its production TTFTs over the window,
            requests over the threshold against those allowed, budget left, burn rates over the last hour and day.

            Example:
              portal endpoints objective show chat-small
            """) { showEndpoint };
        globals.SetAction(show, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(showEndpoint));
            return run.Print(await run.Portal.GetAsync($"endpoints/{id}/latency-objective", run.CancellationToken), body => Write(run.Out, body));
        });
        objective.Subcommands.Add(show);

        var setEndpoint = Endpoint();
        var threshold = new Option<int>("--threshold-ms") { Description = "The TTFT threshold in milliseconds.", Required = true };
        var percentile = new Option<int?>("--percentile") { Description = "90, 95 or 99 (default 99)." };
        var window = new Option<int?>("--window-days") { Description = "The rolling window: 7 or 30 days (default 30)." };
        var set = new Command("set", """
            Set the endpoint's TTFT objective (TenantAdmin; audited).

            Example:
              portal endpoints objective set chat-small --threshold-ms 800
            """) { setEndpoint, threshold, percentile, window };
        globals.SetAction(set, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(setEndpoint));
            var body = await run.Portal.PutAsync($"endpoints/{id}/latency-objective",
                new { thresholdMs = run.Value(threshold), percentile = run.Value(percentile), windowDays = run.Value(window) }, run.CancellationToken);
            return run.Print(body, o => run.Out.WriteLine($"{o.Text("endpoint")}: TTFT objective {o.Text("objective")}."));
        });
        objective.Subcommands.Add(set);

        var removeEndpoint = Endpoint();
        var remove = new Command("remove", """
            Remove the endpoint's TTFT objective (TenantAdmin; audited); an open latency incident is resolved.

            Example:
              portal endpoints objective remove chat-small
            """) { removeEndpoint };
        globals.SetAction(remove, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(removeEndpoint));
            var body = await run.Portal.DeleteAsync($"endpoints/{id}/latency-objective", run.CancellationToken);
            return run.Print(body, o => run.Out.WriteLine($"{o.Text("endpoint")}: TTFT objective {o.Text("objective")} removed."));
        });
        objective.Subcommands.Add(remove);
        return objective;
    }

    private static Argument<string> Endpoint() => new("ENDPOINT") { Description = "The endpoint's name or id." };

    private static void Write(TextWriter output, JsonElement o)
    {
        var c = o.Child("compliance");
        Table.WriteFields(output,
        [
            ("Endpoint", o.Text("endpoint")), ("Objective", o.Text("objective")), ("Status", c.Text("status")),
            ($"Measured p{o.Text("percentile")}", c.Text("measuredMs") is { } ms ? ms + " ms" : "-"),
            ("Requests", c.Text("requests")), ("Over threshold", $"{c.Text("overThreshold")} of {c.Text("allowedOver")} allowed"),
            ("Budget left", c.Text("budgetLeft")), ("Burn rate, last hour", c.Text("burnRateLastHour") ?? "-"),
            ("Burn rate, last day", c.Text("burnRateLastDay") ?? "-"), ("Set by", $"{o.Text("updatedBy")} at {o.Text("updatedAt")}"),
        ]);
    }
}
