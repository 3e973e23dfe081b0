using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portal.Cli.Connection;
using Portal.Cli.Output;

namespace Portal.Cli.Commands;

/// <summary>
/// <c>portal ttft MODEL</c>, <c>portal signals [MODEL]</c> and <c>portal observability samples export</c>, over the
/// observability API (docs/observability-api.md).
/// </summary>
internal static class ObservabilityCommands
{
    private const int BarWidth = 40;

    public static Command CreateTtft(Globals globals)
    {
        var model = new Argument<string>("MODEL") { Description = "The model name programs send (the endpoint's name)." };
        var window = new Option<string>("--window") { Description = "How far back: 1h, 24h, 7d or 30d.", DefaultValueFactory = _ => "24h" };
        window.AcceptOnlyFromAmong("1h", "24h", "7d", "30d");
        var tier = new Option<string?>("--tier") { Description = "Only dedicated, serverless or shadow requests." };
        tier.AcceptOnlyFromAmong("dedicated", "serverless", "shadow");
        var region = new Option<string?>("--region") { Description = "Only requests served in this region." };
        var ttft = new Command("ttft", """
            Time to first token of a model: count, p50/p90/p95/p99/p99.9 and a histogram over vLLM's bucket edges.

            Examples:
              portal ttft llama-3-1-8b --window 24h
              portal ttft llama-3-1-8b --window 7d --tier serverless --output json
            """) { model, window, tier, region };
        globals.SetAction(ttft, async run =>
        {
            var body = await run.Portal.GetAsync("observability/ttft", run.CancellationToken,
                ("model", run.Value(model)), ("window", run.Value(window)), ("tier", run.Value(tier)), ("region", run.Value(region)));
            return run.Print(body, b => WriteTtft(run.Out, b));
        });
        return ttft;
    }

    public static Command CreateSignals(Globals globals)
    {
        var model = new Argument<string?>("MODEL") { Description = "One model; without it, every model of the tenant.", Arity = ArgumentArity.ZeroOrOne };
        var signals = new Command("signals", """
            The migration signals of a model (serverless to dedicated and back): each signal's value, threshold and state,
            and the recommendation.

            Examples:
              portal signals llama-3-1-8b
              portal signals --output json
            """) { model };
        globals.SetAction(signals, async run =>
        {
            var body = await run.Portal.GetAsync("signals", run.CancellationToken, ("model", run.Value(model)));
            return run.Print(body, b =>
            {
                var models = b.Child("models").ValueKind == JsonValueKind.Array ? b.Child("models").Items().ToList() : [b];
                if (models.Count == 0)
                {
                    run.Out.WriteLine("No models with traffic yet: signals appear once requests reach the gateway.");
                }

                for (var i = 0; i < models.Count; i++)
                {
                    if (i > 0)
                    {
                        run.Out.WriteLine();
                    }

                    WriteSignals(run.Out, models[i]);
                }
            });
        });
        return signals;
    }

    /// <summary><c>portal observability samples export</c>: the raw request samples of one endpoint, to a file.</summary>
    public static Command CreateObservability(Globals globals)
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The endpoint's name or id.", Required = true, HelpName = "ENDPOINT" };
        var from = new Option<DateTimeOffset?>("--from") { Description = "First moment to include (ISO 8601); default a day before --to.", HelpName = "TIME" };
        var to = new Option<DateTimeOffset?>("--to") { Description = "End of the window, excluded; default now. At most 31 days after --from.", HelpName = "TIME" };
        var format = new Option<string>("--format") { Description = "jsonl (one JSON object a line) or csv.", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv");
        var file = new Option<FileInfo>("-o", "--out") { Description = "The file to write.", Required = true, HelpName = "FILE" };
        var export = new Command("export", """
            Download the raw request samples of one endpoint, oldest first: time, target and tier, region, status, TTFT,
            inter-token latency, end-to-end time, tokens, cold start. Never any request or response content.

            Examples:
              portal observability samples export --endpoint llama-3-1-8b --from 2026-11-01T00:00:00Z --to 2026-11-08T00:00:00Z -o samples.jsonl
              portal observability samples export --endpoint llama-3-1-8b --format csv -o samples.csv
            """) { endpoint, from, to, format, file };
        globals.SetAction(export, async run =>
        {
            var id = await EndpointsCommands.ResolveAsync(run, run.Value(endpoint));
            var target = run.Value(file);
            var temporary = target.FullName + ".part";
            await using (var stream = File.Create(temporary))
            {
                await run.Portal.DownloadAsync("observability/samples/export", stream, run.CancellationToken,
                    ("endpointId", id.ToString()), ("format", run.Value(format)),
                    ("from", run.Value(from)?.ToString("O")), ("to", run.Value(to)?.ToString("O")));
            }

            File.Move(temporary, target.FullName, overwrite: true);
            await run.Error.WriteLineAsync($"Wrote {target.FullName} ({new FileInfo(target.FullName).Length:N0} bytes).");
            return ExitCodes.Success;
        });

        var samples = new Command("samples", """
            The raw request samples the gateway measured.

            Examples:
              portal observability samples export --endpoint llama-3-1-8b -o samples.jsonl
            """) { export };
        return new Command("observability", """
            Observability data beyond the TTFT and signals read-outs.

            Examples:
              portal observability samples export --endpoint llama-3-1-8b --format csv -o samples.csv
            """) { samples };
    }

    public static void WriteTtft(TextWriter output, JsonElement body)
    {
        output.WriteLine($"TTFT of {body.Text("model")} over {body.Text("window")} ({body.Text("from")} to {body.Text("to")}): {body.Text("count")} requests");
        var percentiles = body.Child("percentiles");
        Table.WriteFields(output, new[] { "p50", "p90", "p95", "p99", "p999" }.Select(p =>
            (p == "p999" ? "p99.9" : p, (string?)Millis(percentiles.Child(p)))));

        var buckets = body.Child("histogram").Items().ToList();
        var peak = buckets.Count == 0 ? 0 : buckets.Max(b => b.Child("count").GetInt64());
        if (peak == 0)
        {
            output.WriteLine("No requests in this window.");
            return;
        }

        output.WriteLine();
        double? lower = null;
        var labels = new List<string>();
        foreach (var bucket in buckets)
        {
            var upper = bucket.Child("upperMs") is { ValueKind: JsonValueKind.Number } u ? u.GetDouble() : (double?)null;
            labels.Add(upper is null ? $"> {Number(lower ?? 0)} ms" : $"{Number(lower ?? 0)}–{Number(upper.Value)} ms");
            lower = upper;
        }

        var width = labels.Max(l => l.Length);
        for (var i = 0; i < buckets.Count; i++)
        {
            var count = buckets[i].Child("count").GetInt64();
            var bar = new string('#', (int)Math.Round((double)count / peak * BarWidth));
            output.WriteLine($"{labels[i].PadLeft(width)} | {bar.PadRight(BarWidth)} {count}");
        }
    }

    public static void WriteSignals(TextWriter output, JsonElement model)
    {
        output.WriteLine($"{model.Text("model")} over {model.Text("window")}: {model.Text("recommendation")}");
        Table.Write(output, ["SIGNAL", "VALUE", "THRESHOLD", "STATE"],
            model.Child("signals").Items().Select(s => new[]
            {
                s.Text("title"), Value(s.Child("value"), s.Text("unit")), Value(s.Child("threshold"), s.Text("unit")), State(s.Text("state")),
            }),
            "No signals computed.");
    }

    private static string State(string? state) => state switch
    {
        "fires" => "FIRES",
        "notEnoughData" => "not enough data",
        _ => state ?? "-",
    };

    private static string Value(JsonElement value, string? unit) =>
        value.ValueKind == JsonValueKind.Number ? $"{Number(value.GetDouble())}{(unit is null or "ratio" ? "" : " " + unit)}" : "-";

    private static string Millis(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? $"{value.GetDouble().ToString("0.0", CultureInfo.InvariantCulture)} ms" : "-";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
