using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary><c>portal dry-run start|list|show|cancel</c>: replay an endpoint's recorded traffic against candidate deployments.</summary>
internal static class DryRunCommands
{
    public static Command Create(Globals globals)
    {
        var dryRun = new Command("dry-run", """
            Migration dry runs: an endpoint's recorded traffic replayed (compressed) through the gateway to simulator replicas of
            one or more candidate deployments, compared side by side with a recommendation. A simulation, never production traffic.

            Examples:
              portal dry-run start chat-small --from 2026-12-01T00:00Z --to 2026-12-02T00:00Z --compression 144 \
                --candidate "model=llama-3.1-8b-instruct,gpu=h100-80gb,region=us-east,baseline=1,max=3" \
                --candidate "model=llama-3.1-8b-instruct,gpu=h100-80gb,region=us-east,baseline=2,max=2"
              portal dry-run list chat-small
              portal dry-run show chat-small 3f0c…
              portal dry-run cancel chat-small 3f0c…
            """);

        var startEndpoint = Endpoint();
        var from = new Option<DateTimeOffset>("--from") { Description = "Start of the recorded window (ISO 8601).", Required = true, HelpName = "TIME" };
        var to = new Option<DateTimeOffset>("--to") { Description = "End of the recorded window; at most 7 days after --from.", Required = true, HelpName = "TIME" };
        var compression = new Option<double>("--compression")
        {
            Description = "How much faster than recorded: 144 replays 24 h in 10 minutes (default 1, real time).", DefaultValueFactory = _ => 1,
        };
        var candidates = new Option<string[]>("--candidate")
        {
            Description = "A candidate as key=value pairs: model, gpu, region (required), gpus, baseline, max, seqs, quant, context, profile, name, "
                + "scale-to-zero. Repeat for each candidate (up to 5).",
            Required = true, AllowMultipleArgumentsPerToken = false, HelpName = "PAIRS",
        };
        var start = new Command("start", """
            Start a dry run (TenantAdmin, Developer; audited). It queues and runs in the background; follow it with show.

            Example:
              portal dry-run start chat-small --from 2026-12-01T00:00Z --to 2026-12-01T01:00Z --compression 20 \
                --candidate "model=llama-3.1-8b-instruct,gpu=h100-80gb,region=us-east"
            """) { startEndpoint, from, to, compression, candidates };
        globals.SetAction(start, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(startEndpoint));
            var body = await run.Portal.PostAsync($"endpoints/{id}/dry-runs", new
            {
                from = run.Value(from), to = run.Value(to), compression = run.Value(compression),
                candidates = run.Value(candidates).Select(Candidate).ToList(),
            }, run.CancellationToken);
            return run.Print(body, o => run.Out.WriteLine($"Dry run {o.Text("id")} queued; follow it with: portal dry-run show {run.Value(startEndpoint)} {o.Text("id")}"));
        });
        dryRun.Subcommands.Add(start);

        var listEndpoint = Endpoint();
        var list = new Command("list", """
            The endpoint's dry runs, newest first: status, progress, window, candidates and the recommended one.

            Example:
              portal dry-run list chat-small
            """) { listEndpoint };
        globals.SetAction(list, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(listEndpoint));
            return run.Print(await run.Portal.GetAsync($"endpoints/{id}/dry-runs", run.CancellationToken), body => Table.Write(run.Out,
                ["ID", "STATUS", "PROGRESS", "WINDOW", "COMPRESSION", "CANDIDATES", "RECOMMENDED"],
                body.Items().Select(r => (IReadOnlyList<string?>)[r.Text("id"), r.Text("status"), Percent(r.Text("progress")),
                    $"{r.Text("windowFrom")} – {r.Text("windowTo")}", "×" + r.Text("compression"),
                    string.Join("; ", r.Child("candidates").Items().Select(c => c.GetString())), r.Text("recommended") ?? "-"]),
                "No dry runs for this endpoint."));
        });
        dryRun.Subcommands.Add(list);

        var showEndpoint = Endpoint();
        var showRun = Run();
        var show = new Command("show", """
            A dry run: progress while it runs; once it succeeded, the recorded figures beside each candidate's and the recommendation.

            Example:
              portal dry-run show chat-small 3f0c2a9e-…
            """) { showEndpoint, showRun };
        globals.SetAction(show, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(showEndpoint));
            return run.Print(await run.Portal.GetAsync($"endpoints/{id}/dry-runs/{run.Value(showRun)}", run.CancellationToken), body => Write(run.Out, body));
        });
        dryRun.Subcommands.Add(show);

        var cancelEndpoint = Endpoint();
        var cancelRun = Run();
        var cancel = new Command("cancel", """
            Stop a queued or running dry run (TenantAdmin, Developer; audited); its simulators are stopped.

            Example:
              portal dry-run cancel chat-small 3f0c2a9e-…
            """) { cancelEndpoint, cancelRun };
        globals.SetAction(cancel, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(cancelEndpoint));
            var body = await run.Portal.PostAsync($"endpoints/{id}/dry-runs/{run.Value(cancelRun)}/cancel", null, run.CancellationToken);
            return run.Print(body, o => run.Out.WriteLine($"Dry run {o.Text("id")}: cancel requested ({o.Text("status")})."));
        });
        dryRun.Subcommands.Add(cancel);
        return dryRun;
    }

    private static Argument<string> Endpoint() => new("ENDPOINT") { Description = "The endpoint's name or id." };

    private static Argument<Guid> Run() => new("RUN") { Description = "The dry run's id (portal dry-run list)." };

    /// <summary>"model=…,gpu=…,region=…,baseline=1,max=3" as the API's candidate; unknown keys are left to the API to refuse.</summary>
    internal static Dictionary<string, object?> Candidate(string pairs)
    {
        var candidate = new Dictionary<string, object?>();
        Dictionary<string, object?> Runtime() =>
            (Dictionary<string, object?>)(candidate.TryGetValue("runtime", out var r) ? r! : candidate["runtime"] = new Dictionary<string, object?>());
        foreach (var pair in pairs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k.Trim(), v.Trim()) : (pair, "true");
            object? Number() => int.TryParse(value, CultureInfo.InvariantCulture, out var n) ? n : value;
            switch (key)
            {
                case "gpu": candidate["gpuType"] = value; break;
                case "gpus": candidate["gpusPerReplica"] = Number(); break;
                case "baseline": candidate["baselineReplicas"] = Number(); break;
                case "max": candidate["maxReplicas"] = Number(); break;
                case "seqs": candidate["maxConcurrentSequences"] = Number(); break;
                case "quant": Runtime()["quantization"] = value; break;
                case "context": Runtime()["maxContextLength"] = Number(); break;
                case "scale-to-zero": candidate["scaleToZero"] = value is "true" or "yes" or "1"; break;
                default: candidate[key] = value; break;
            }
        }

        return candidate;
    }

    private static string Percent(string? fraction) =>
        double.TryParse(fraction, CultureInfo.InvariantCulture, out var f) ? f.ToString("P0", CultureInfo.InvariantCulture) : "-";

    private static void Write(TextWriter output, JsonElement run)
    {
        Table.WriteFields(output,
        [
            ("Dry run", run.Text("id")), ("Status", run.Text("status")), ("Progress", Percent(run.Text("progress"))),
            ("Window", $"{run.Text("windowFrom")} – {run.Text("windowTo")} at ×{run.Text("compression")}"),
            ("Expected end", run.Text("expectedEndAt") ?? "-"), ("Error", run.Text("error") ?? "-"),
        ]);
        if (run.Child("report") is not { ValueKind: JsonValueKind.Object } report)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine(report.Text("notice"));
        var recorded = report.Child("recorded");
        output.WriteLine();
        Table.Write(output, ["CANDIDATE", "P50 MS", "P90 MS", "P99 MS", "COLD STARTS", "QUEUED", "429S", "GPU-HOURS", "$/REQUEST"],
            report.Child("candidates").Items().Select(c =>
            {
                var s = c.Child("summary");
                return (IReadOnlyList<string?>)[c.Text("name"), Ms(s.Text("ttftP50Ms")), Ms(s.Text("ttftP90Ms")), Ms(s.Text("ttftP99Ms")),
                    s.Text("coldStarts"), s.Text("queued"), s.Text("throttled"), c.Text("gpuHours"), c.Text("costPerRequestUsd") ?? "-"];
            }).Prepend([$"recorded ({recorded.Text("requests")} requests)", Ms(recorded.Text("ttftP50Ms")), Ms(recorded.Text("ttftP90Ms")),
                Ms(recorded.Text("ttftP99Ms")), recorded.Text("coldStarts"), "-", recorded.Text("throttled"), "-", "-"]),
            "No candidates.");
        foreach (var candidate in report.Child("candidates").Items().Where(c => c.Child("speed").Text("summary") is not null))
        {
            output.WriteLine($"{candidate.Text("name")}: {candidate.Child("speed").Text("summary")}. {candidate.Child("speed").Text("basis")}");
        }

        foreach (var candidate in report.Child("candidates").Items().Where(c => c.Child("afterwards").Text("advice") is not null))
        {
            output.WriteLine();
            output.WriteLine($"{candidate.Text("name")}, the migration page afterwards: {candidate.Child("afterwards").Text("advice")}");
            foreach (var signal in candidate.Child("afterwards").Child("signals").Items())
            {
                output.WriteLine($"  {SignalName(signal.Text("kind"))} ({SignalState(signal.Text("state"))}): {signal.Text("evidence")}");
            }
        }

        var recommendation = report.Child("recommendation");
        output.WriteLine();
        output.WriteLine($"Recommendation: {recommendation.Text("candidate") ?? "none"}. {recommendation.Text("reason")}");
    }

    private static string SignalName(string? kind) => kind switch
    {
        "TailDivergence" => "tail divergence",
        "ColdStarts" => "cold starts",
        "Economics" => "economics",
        "Requirements" => "requirements",
        _ => kind ?? "-",
    };

    private static string SignalState(string? state) => state switch
    {
        "Fires" => "fires",
        "Ok" => "ok",
        "NotEnoughData" => "not enough data",
        _ => state ?? "-",
    };

    private static string Ms(string? ms) =>
        double.TryParse(ms, CultureInfo.InvariantCulture, out var v) ? v.ToString("0", CultureInfo.InvariantCulture) : "-";
}
