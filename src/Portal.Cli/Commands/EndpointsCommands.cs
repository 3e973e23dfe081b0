using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary><c>portal endpoints list|show|shadow|flip|objective|probes|requirements</c>.</summary>
internal static class EndpointsCommands
{
    public static Command Create(Globals globals)
    {
        var endpoints = new Command("endpoints", """
            Endpoints (the model names programs call) and their primary and secondary targets.

            Examples:
              portal endpoints list
              portal endpoints flip llama-3-1-8b
              portal endpoints objective set llama-3-1-8b --threshold-ms 800
            """);

        var list = new Command("list", """
            Endpoints with their primary and secondary targets and shadow share.

            Example:
              portal endpoints list
            """);
        globals.SetAction(list, async run => run.Print(await run.Portal.GetAsync("endpoints", run.CancellationToken), body =>
            Table.Write(run.Out, ["NAME", "PRIMARY", "SECONDARY", "SHADOW", "ID"],
                body.Items().Select(e => new[] { e.Text("name"), Target(e.Child("primary")), Target(e.Child("secondary")), Share(e), e.Text("id") }),
                "No endpoints yet: deploying a model creates its endpoint (portal deploy --help).")));
        endpoints.Subcommands.Add(list);

        var showTarget = EndpointArgument();
        var show = new Command("show", """
            One endpoint with both targets.

            Example:
              portal endpoints show llama-3-1-8b
            """) { showTarget };
        globals.SetAction(show, async run =>
            run.Print(await run.Portal.GetAsync($"endpoints/{await ResolveAsync(run, run.Value(showTarget))}", run.CancellationToken),
                body => WriteEndpoint(run.Out, body)));
        endpoints.Subcommands.Add(show);

        var shadowTarget = EndpointArgument();
        var share = new Option<double>("--share") { Description = "The share of requests copied to the secondary, 0 to 0.5 (0 stops shadowing).", Required = true };
        var secondary = new Option<Guid?>("--secondary") { Description = "The secondary target's id (another deployment's target).", HelpName = "TARGET-ID" };
        var shadow = new Command("shadow", """
            Copy a share of requests to the secondary target; its responses are discarded and its TTFT recorded.

            Examples:
              portal endpoints shadow llama-3-1-8b --share 0.1 --secondary 7d1e…
              portal endpoints shadow llama-3-1-8b --share 0
            """) { shadowTarget, share, secondary };
        globals.SetAction(shadow, async run =>
        {
            var id = await ResolveAsync(run, run.Value(shadowTarget));
            var body = await run.Portal.PostAsync($"endpoints/{id}/shadow",
                new { share = run.Value(share), secondaryTargetId = run.Value(secondary) }, run.CancellationToken);
            return run.Print(body, e => run.Out.WriteLine($"{e.Text("name")}: shadow {Share(e)} to {Target(e.Child("secondary"))}."));
        });
        endpoints.Subcommands.Add(shadow);

        var flipTarget = EndpointArgument();
        var flip = new Command("flip", """
            Swap primary and secondary; flip again to roll back.

            Example:
              portal endpoints flip llama-3-1-8b
            """) { flipTarget };
        globals.SetAction(flip, async run =>
        {
            var body = await run.Portal.PostAsync($"endpoints/{await ResolveAsync(run, run.Value(flipTarget))}/flip", null, run.CancellationToken);
            return run.Print(body, e => run.Out.WriteLine($"{e.Text("name")}: primary is now {Target(e.Child("primary"))}."));
        });
        endpoints.Subcommands.Add(flip);
        endpoints.Subcommands.Add(LatencyObjectiveCommands.Create(globals));
        endpoints.Subcommands.Add(Probes(globals));
        endpoints.Subcommands.Add(Requirements(globals));
        return endpoints;
    }

    private static Command Probes(Globals globals)
    {
        var endpoint = EndpointArgument();
        var ttft = new Option<string?>("--ttft-probes")
        {
            Description = "Synthetic TTFT probes of a serverless target: on (keeps it warm, costs tokens) or off. A dedicated target is always probed.",
            HelpName = "on|off",
        };
        ttft.AcceptOnlyFromAmong("on", "off");
        var idleGap = new Option<double?>("--idle-gap") { Description = "The target's idle gap in seconds (its provider's scale-to-zero delay).", HelpName = "SECONDS" };
        var learn = new Option<bool>("--learn-idle-gap") { Description = "Forget the configured idle gap: learn it from the target's cold starts." };
        var secondary = new Option<bool>("--secondary") { Description = "The endpoint's secondary target instead of its primary." };
        var probes = new Command("probes", """
            How an endpoint's target is probed: synthetic TTFT probes (off by default for serverless; their monthly cost at
            the target's token prices), and the idle gap its cold starts are judged by (configured, learnt or default).
            Without options it shows the settings; changing them is for TenantAdmin and is audited.

            Examples:
              portal endpoints probes chat-large
              portal endpoints probes chat-large --ttft-probes on
              portal endpoints probes chat-large --idle-gap 300
              portal endpoints probes chat-large --learn-idle-gap
            """) { endpoint, ttft, idleGap, learn, secondary };
        globals.SetAction(probes, async run =>
        {
            if (run.Value(idleGap) is not null && run.Value(learn))
            {
                throw new CliUsageException("Give --idle-gap or --learn-idle-gap, not both.");
            }

            var view = await run.Portal.GetAsync($"endpoints/{await ResolveAsync(run, run.Value(endpoint))}", run.CancellationToken);
            var target = view.Child(run.Value(secondary) ? "secondary" : "primary").Text("id")
                ?? throw new CliUsageException($"{view.Text("name")} has no secondary target.");
            var path = $"targets/{target}/probes";
            var settings = await run.Portal.GetAsync(path, run.CancellationToken);
            if (run.Value(ttft) is not null || run.Value(idleGap) is not null || run.Value(learn))
            {
                settings = await run.Portal.PutAsync(path, new
                {
                    ttftProbes = run.Value(ttft) is { } onOff ? onOff == "on" : settings.Child("ttftProbes").GetBoolean(),
                    idleGapSeconds = run.Value(learn) ? null : run.Value(idleGap) ?? Number(settings.Child("configuredIdleGapSeconds")),
                }, run.CancellationToken);
            }

            return run.Print(settings, p => WriteProbes(run.Out, p));
        });
        return probes;
    }

    private static void WriteProbes(TextWriter output, JsonElement p)
    {
        var cost = p.Child("ttftProbeCost");
        Table.WriteFields(output,
        [
            ("Target", $"{p.Text("target")} ({p.Text("kind")}, {p.Text("targetId")})"),
            ("TTFT probes", p.Child("ttftProbes").GetBoolean()
                ? $"on, every {p.Child("ttftProbeIntervalSeconds").GetInt32()} s"
                : "off (watched from production traffic and a models listing)"),
            ("TTFT probe cost", cost.ValueKind != JsonValueKind.Object ? "-" : string.Create(CultureInfo.InvariantCulture,
                $"{cost.Child("probesPerMonth").GetInt64():N0} probes × {cost.Child("tokensPerProbe").GetInt32()} tokens a month ≈ ${cost.Child("monthlyUsd").GetDecimal():0.00}")),
            ("Idle gap", string.Create(CultureInfo.InvariantCulture, $"{p.Child("idleGapSeconds").GetDouble():0.#} s ({p.Text("idleGapSource")})")),
        ]);
    }

    private static double? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    /// <summary>Replaces what the endpoint states it needs; options left out are cleared.</summary>
    private static Command Requirements(Globals globals)
    {
        var target = EndpointArgument();
        var weights = new Option<bool>("--custom-weights") { Description = "The endpoint runs custom or fine-tuned weights." };
        var quantization = new Option<string?>("--quantization") { Description = "The quantization it must run in: fp8, awq, gptq or fp4.", HelpName = "NAME" };
        var residency = new Option<string?>("--residency") { Description = "The jurisdiction requests must be processed in: US, EU, JP, SG or TW.", HelpName = "JURISDICTION" };
        var floor = new Option<int?>("--concurrency-floor") { Description = "Concurrent requests it must accept without refusing (1 to 100,000).", HelpName = "N" };
        var command = new Command("requirements", """
            State what the endpoint needs that only dedicated gives; the migration signals count each as a hard
            requirement. Replaces the statement: an option left out is cleared, none at all clears everything.

            Examples:
              portal endpoints requirements chat --custom-weights --residency EU
              portal endpoints requirements chat --quantization fp8 --concurrency-floor 64
              portal endpoints requirements chat
            """) { target, weights, quantization, residency, floor };
        globals.SetAction(command, async run =>
        {
            var id = await ResolveAsync(run, run.Value(target));
            var body = await run.Portal.PutAsync($"endpoints/{id}/requirements", new
            {
                customWeights = run.Value(weights), quantization = run.Value(quantization), residency = run.Value(residency),
                concurrencyFloor = run.Value(floor),
            }, run.CancellationToken);
            return run.Print(body, e => run.Out.WriteLine($"{e.Text("name")}: requires {StatedRequirements(e)}."));
        });
        return command;
    }

    private static Argument<string> EndpointArgument() => new("ENDPOINT") { Description = "The endpoint's name or id." };

    internal static async Task<Guid> ResolveAsync(Invocation run, string nameOrId)
    {
        if (Guid.TryParse(nameOrId, out var id))
        {
            return id;
        }

        var match = (await run.Portal.GetAsync("endpoints", run.CancellationToken)).Items()
            .FirstOrDefault(e => string.Equals(e.Text("name"), nameOrId, StringComparison.OrdinalIgnoreCase));
        return match.ValueKind == JsonValueKind.Object
            ? Guid.Parse(match.Text("id")!)
            : throw new CliUsageException($"No endpoint named '{nameOrId}' in this tenant (see portal endpoints list).");
    }

    private static void WriteEndpoint(TextWriter output, JsonElement e)
    {
        Table.WriteFields(output,
        [
            ("Name", e.Text("name")), ("Id", e.Text("id")), ("Primary", Target(e.Child("primary"))),
            ("Secondary", Target(e.Child("secondary"))), ("Shadow share", Share(e)), ("Requires", StatedRequirements(e)),
            ("Created", e.Text("createdAt")),
        ]);
    }

    private static string StatedRequirements(JsonElement endpoint)
    {
        var stated = endpoint.Child("requirements");
        if (stated.ValueKind != JsonValueKind.Object)
        {
            return "nothing stated";
        }

        var parts = new List<string>();
        if (stated.Child("customWeights") is { ValueKind: JsonValueKind.True })
        {
            parts.Add("custom weights");
        }

        if (stated.Text("quantization") is { } quantization)
        {
            parts.Add($"{quantization} quantization");
        }

        if (stated.Text("residency") is { } residency)
        {
            parts.Add($"residency in {residency}");
        }

        if (stated.Child("concurrencyFloor") is { ValueKind: JsonValueKind.Number } floor)
        {
            parts.Add($"at least {floor.GetInt32()} concurrent requests");
        }

        return parts.Count == 0 ? "nothing stated" : string.Join(", ", parts);
    }

    private static string Target(JsonElement target) => target.ValueKind != JsonValueKind.Object
        ? "-"
        : $"{target.Text("name")} ({target.Text("kind")}{(target.Text("region") is { } region ? ", " + region : "")}, {target.Text("id")})";

    private static string Share(JsonElement endpoint) =>
        endpoint.Child("shadowShare") is { ValueKind: JsonValueKind.Number } share ? share.GetDouble().ToString("P0", CultureInfo.InvariantCulture) : "-";
}
