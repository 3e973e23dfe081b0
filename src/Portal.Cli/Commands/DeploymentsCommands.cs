using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary><c>portal deployments list|show|scale|stop|start|restart|delete|logs</c>.</summary>
internal static class DeploymentsCommands
{
    public static Command Create(Globals globals)
    {
        var deployments = new Command("deployments", """
            List, inspect, scale, stop and delete dedicated deployments.

            Examples:
              portal deployments list
              portal deployments scale chat --replicas 3
            """);

        var list = new Command("list", """
            The tenant's deployments with status, ready replicas and monthly cost.

            Examples:
              portal deployments list
              portal deployments list --output json
            """);
        globals.SetAction(list, async run => run.Print(await run.Portal.GetAsync("deployments", run.CancellationToken), body =>
            Table.Write(run.Out, ["NAME", "STATUS", "READY", "MODEL", "GPU", "REGION", "USD/MONTH", "ID"],
                body.Items().Select(d => new[]
                {
                    d.Text("name"), d.Text("status"), $"{d.Text("readyReplicas")}/{d.Text("baselineReplicas")}", d.Text("servedModelName"),
                    $"{d.Text("gpusPerReplica")}× {d.Text("gpuType")}", d.Text("region"), Money(d, "monthlyCostUsd"), d.Text("id"),
                }),
                "No deployments yet. Create one with: portal deploy --help")));
        deployments.Subcommands.Add(list);

        var showTarget = Target();
        var show = new Command("show", """
            A deployment with its replicas (phase, address) and latest events.

            Examples:
              portal deployments show chat
              portal deployments show 3f2c…-… --output json
            """) { showTarget };
        globals.SetAction(show, async run =>
            run.Print(await run.Portal.GetAsync($"deployments/{await ResolveAsync(run, run.Value(showTarget))}", run.CancellationToken),
                body => WriteDetail(run.Out, body)));
        deployments.Subcommands.Add(show);

        var scaleTarget = Target();
        var baseline = new Option<int>("--replicas") { Description = "Baseline replicas (always running).", Required = true, HelpName = "N" };
        var max = new Option<int?>("--max-replicas") { Description = "Upper bound with burst capacity (default: unchanged).", HelpName = "N" };
        var scale = new Command("scale", """
            Set the baseline (and optionally maximum) replicas.

            Example:
              portal deployments scale chat --replicas 3 --max-replicas 5
            """) { scaleTarget, baseline, max };
        globals.SetAction(scale, async run =>
        {
            var id = await ResolveAsync(run, run.Value(scaleTarget));
            var body = await run.Portal.PostAsync($"deployments/{id}/scale",
                new { baselineReplicas = run.Value(baseline), maxReplicas = run.Value(max) }, run.CancellationToken);
            return run.Print(body, d => run.Out.WriteLine(
                $"{d.Text("name")}: baseline {d.Text("baselineReplicas")}, max {d.Text("maxReplicas")}, {d.Text("status")}."));
        });
        deployments.Subcommands.Add(scale);

        deployments.Subcommands.Add(Action(globals, "stop", "Stop every replica; the desired state is kept (start brings it back).", "stop"));
        deployments.Subcommands.Add(Action(globals, "start", "Start a stopped deployment again.", "start"));
        deployments.Subcommands.Add(Action(globals, "restart", "Replace every replica.", "restart"));

        var deleteTarget = Target();
        var delete = new Command("delete", """
            Delete a deployment: replicas stop and its endpoint goes; history and cost stay.

            Example:
              portal deployments delete chat
            """) { deleteTarget };
        globals.SetAction(delete, async run =>
        {
            var body = await run.Portal.DeleteAsync($"deployments/{await ResolveAsync(run, run.Value(deleteTarget))}", run.CancellationToken);
            return run.Print(body, d => run.Out.WriteLine($"{d.Text("name")}: {d.Text("status")}."));
        });
        deployments.Subcommands.Add(delete);
        deployments.Subcommands.Add(DeploymentLogsCommand.Create(globals, Target()));
        return deployments;
    }

    private static Argument<string> Target() => new("DEPLOYMENT") { Description = "The deployment's name or id." };

    private static Command Action(Globals globals, string verb, string description, string path)
    {
        var target = Target();
        var command = new Command(verb, $"""
            {description}

            Example:
              portal deployments {verb} chat
            """) { target };
        globals.SetAction(command, async run =>
        {
            var body = await run.Portal.PostAsync($"deployments/{await ResolveAsync(run, run.Value(target))}/{path}", null, run.CancellationToken);
            return run.Print(body, d => run.Out.WriteLine($"{d.Text("name")}: {d.Text("status")}."));
        });
        return command;
    }

    /// <summary>An id as given; a name looked up among the tenant's deployments.</summary>
    internal static async Task<Guid> ResolveAsync(Invocation run, string nameOrId)
    {
        if (Guid.TryParse(nameOrId, out var id))
        {
            return id;
        }

        var all = await run.Portal.GetAsync("deployments", run.CancellationToken);
        var match = all.Items().FirstOrDefault(d => string.Equals(d.Text("name"), nameOrId, StringComparison.OrdinalIgnoreCase)
            && d.Text("status") != "Deleted");
        return match.ValueKind == JsonValueKind.Object
            ? Guid.Parse(match.Text("id")!)
            : throw new CliUsageException($"No deployment named '{nameOrId}' in this tenant (see portal deployments list).");
    }

    public static void WriteDetail(TextWriter output, JsonElement detail)
    {
        var d = detail.Child("deployment");
        Table.WriteFields(output,
        [
            ("Name", d.Text("name")), ("Id", d.Text("id")), ("Status", d.Text("status")),
            ("Model", $"{d.Text("model")} (served as {d.Text("servedModelName")})"), ("Engine", d.Text("engine")),
            ("GPUs", $"{d.Text("gpusPerReplica")}× {d.Text("gpuType")} per replica"),
            ("Replicas", $"{d.Text("readyReplicas")} ready of baseline {d.Text("baselineReplicas")}, max {d.Text("maxReplicas")}"),
            ("Region", d.Text("region")), ("Cost", $"{Money(d, "monthlyCostUsd")} USD/month; {Money(d, "costSoFarUsd")} USD so far"),
        ]);
        output.WriteLine();
        Table.Write(output, ["REPLICA", "PHASE", "REGION", "BURST", "ADDRESS", "RESTARTS"],
            detail.Child("replicas").Items().Select(r => new[]
            {
                r.Text("id"), r.Text("phase"), r.Text("region"), r.Text("isBurst") == "true" ? "yes" : "no", r.Text("baseUrl"), r.Text("restarts"),
            }),
            "No replicas running.");
        var events = detail.Child("events").Items().Take(10).ToList();
        if (events.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Latest events:");
            foreach (var e in events)
            {
                output.WriteLine($"  {e.Text("at")}  {e.Text("kind")}: {e.Text("message")}");
            }
        }
    }

    internal static string Money(JsonElement element, string name) =>
        element.Child(name) is { ValueKind: JsonValueKind.Number } value
            ? value.GetDecimal().ToString("N2", CultureInfo.InvariantCulture)
            : "-";
}
