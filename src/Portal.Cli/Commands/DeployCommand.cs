using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Cli.Connection;

namespace Portal.Cli.Commands;

/// <summary><c>portal deploy</c>: the wizard's choices as options (or a spec file), the server's checks, then progress until Ready.</summary>
internal static class DeployCommand
{
    public static Command Create(Globals globals)
    {
        var file = new Option<FileInfo>("--file", "-f")
        {
            Description = "A deployment spec in JSON (the body of POST /api/v1/deployments); options given beside it override its fields.",
            HelpName = "deployment.json",
        };
        file.AcceptExistingOnly();
        var name = new Option<string?>("--name") { Description = "Deployment name: 3–40 lowercase letters, digits and dashes; unique in the tenant." };
        var model = new Option<string?>("--model") { Description = "A catalog model id, e.g. llama-3.1-8b-instruct (see the wizard's catalog).", HelpName = "CATALOG-ID" };
        var engine = new Option<string?>("--engine") { Description = "Vllm, Sglang or TensorRtLlm (default Vllm)." };
        var gpu = new Option<string?>("--gpu") { Description = "GPU type id, e.g. h100-80gb.", HelpName = "GPU-TYPE" };
        var gpus = new Option<int?>("--gpus-per-replica") { Description = "GPUs per replica, also the tensor-parallel size (default 1).", HelpName = "N" };
        var replicas = new Option<int?>("--replicas") { Description = "Baseline replicas, always running (default 1).", HelpName = "N" };
        var maxReplicas = new Option<int?>("--max-replicas") { Description = "Upper bound with burst capacity (default: --replicas).", HelpName = "N" };
        var region = new Option<string?>("--region") { Description = "Region id, e.g. us-east." };
        var served = new Option<string?>("--served-model-name") { Description = "The model name programs send (default: the model's repository id).", HelpName = "NAME" };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the portal accepted the deployment; don't wait for Ready." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for Ready before giving up (exit 1), e.g. 00:15:00.",
            DefaultValueFactory = _ => TimeSpan.FromMinutes(15),
            HelpName = "HH:MM:SS",
        };

        var deploy = new Command("deploy", """
            Deploy a model on dedicated GPUs: the same checks and messages as the portal's deploy wizard. Prints a line
            for each change (replica phases, events) until the deployment is Ready, or returns at once with --no-wait.
            Exits 1 with the portal's reasons when it refuses the deployment.

            Examples:
              portal deploy --name chat --model llama-3.1-8b-instruct --gpu h100-80gb --region us-east --replicas 2
              portal deploy -f deployment.json --no-wait --output json
            """)
        {
            file, name, model, engine, gpu, gpus, replicas, maxReplicas, region, served, noWait, timeout,
        };

        globals.SetAction(deploy, async run =>
        {
            var spec = run.Value(file) is { } specFile
                ? JsonNode.Parse(await File.ReadAllTextAsync(specFile.FullName, run.CancellationToken)) as JsonObject
                    ?? throw new CliUsageException($"{specFile.Name} does not hold a JSON object.")
                : new JsonObject();
            Set(spec, "name", run.Value(name));
            if (run.Value(model) is { } catalogId)
            {
                spec["model"] = new JsonObject { ["source"] = "Catalog", ["catalogId"] = catalogId };
            }

            Set(spec, "engine", run.Value(engine));
            Set(spec, "gpuType", run.Value(gpu));
            Set(spec, "gpusPerReplica", run.Value(gpus));
            Set(spec, "baselineReplicas", run.Value(replicas));
            Set(spec, "maxReplicas", run.Value(maxReplicas) ?? run.Value(replicas));
            Set(spec, "region", run.Value(region));
            Set(spec, "servedModelName", run.Value(served));
            var missing = new[] { ("name", "--name"), ("model", "--model"), ("gpuType", "--gpu"), ("region", "--region") }
                .Where(f => spec[f.Item1] is null).Select(f => f.Item2).ToList();
            if (missing.Count > 0)
            {
                throw new CliUsageException($"Missing {string.Join(", ", missing)} (give the option or the field in -f).");
            }

            var created = await run.Portal.PostAsync("deployments", spec, run.CancellationToken);
            var id = created.Text("id")!;
            if (run.Value(noWait))
            {
                return run.Print(created, body => run.Out.WriteLine(
                    $"Deployment {body.Text("name")} ({id}) accepted: {body.Text("status")}. Follow it with: portal deployments show {id}"));
            }

            // Progress goes to stderr with --output json, so standard output stays one parseable document.
            var progress = run.Format == OutputFormat.Json ? run.Error : run.Out;
            await progress.WriteLineAsync($"Deployment {created.Text("name")} ({id}) accepted; waiting for Ready.");
            var detail = await WaitForReadyAsync(run, id, progress, run.Value(timeout));
            if (detail is not { } ready)
            {
                return ExitCodes.Failed;
            }

            return run.Print(ready, body => DeploymentsCommands.WriteDetail(run.Out, body));
        });
        return deploy;
    }

    private static void Set<T>(JsonObject spec, string field, T? value)
    {
        if (value is not null)
        {
            spec[field] = JsonValue.Create(value);
        }
    }

    private static async Task<JsonElement?> WaitForReadyAsync(Invocation run, string id, TextWriter progress, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var seenEvents = new HashSet<string>();
        string? lastState = null;
        while (true)
        {
            var detail = await run.Portal.GetAsync($"deployments/{id}", run.CancellationToken);
            var deployment = detail.Child("deployment");
            var status = deployment.Text("status");
            var phases = detail.Child("replicas").Items().GroupBy(r => r.Text("phase")).Select(g => $"{g.Count()} {g.Key}");
            var state = $"{status}; replicas: {string.Join(", ", phases).DefaultIfEmpty("none")}";
            if (state != lastState)
            {
                await progress.WriteLineAsync($"{DateTimeOffset.Now:HH:mm:ss}  {state}");
                lastState = state;
            }

            // The detail carries the latest events, newest first: print the ones not yet shown, oldest first.
            foreach (var e in detail.Child("events").Items().Reverse())
            {
                if (seenEvents.Add($"{e.Text("at")}|{e.Text("kind")}|{e.Text("message")}"))
                {
                    await progress.WriteLineAsync($"          {e.Text("kind")}: {e.Text("message")}");
                }
            }
            if (status == "Ready")
            {
                return detail;
            }

            if (status is "Stopped" or "Deleted")
            {
                await run.Error.WriteLineAsync($"The deployment is {status}; it will not become Ready.");
                return null;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                await run.Error.WriteLineAsync($"Not Ready after {timeout}; it goes on deploying. Follow it with: portal deployments show {id}");
                return null;
            }

            await Task.Delay(run.Settings.PollInterval, run.CancellationToken);
        }
    }

    private static string DefaultIfEmpty(this string text, string fallback) => text.Length == 0 ? fallback : text;
}
