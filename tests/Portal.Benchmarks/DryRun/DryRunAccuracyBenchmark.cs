using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Portal.Benchmarks.Gateway;
using Portal.Tests.Support;
using static Portal.Benchmarks.BenchmarkArgs;

namespace Portal.Benchmarks.DryRun;

/// <summary>
/// How close a dry run comes on traffic whose outcome is known. The real <c>src/Portal</c> process (Release build output)
/// deploys a dedicated endpoint through the management API (Llama 3.1 8B, one H100, one replica running --seqs sequences
/// at a time, the shipped simulator at real time), the benchmark sends it <see cref="KnownTraffic"/> through the gateway
/// for --minutes, and the gateway records it as it records production. Then the same window is dry-run, once per
/// --compressions factor, with the deployment's own configuration as the one candidate; the report's candidate is set
/// beside what the endpoint recorded (TTFT p50/p90/p99) and beside what its replica's engine saw (queued requests, mean
/// wait). Flags: --minutes (4), --rate (1.5 requests a second; three times that through the middle fifth), --seqs (8),
/// --compressions (1,10,60), --portal-dir.
/// </summary>
internal static class DryRunAccuracyBenchmark
{
    private const string Model = "known-chat";

    public static async Task<int> RunAsync(string[] args)
    {
        var minutes = double.Parse(Flag(args, "--minutes", "4"), CultureInfo.InvariantCulture);
        var rate = double.Parse(Flag(args, "--rate", "1.5"), CultureInfo.InvariantCulture);
        var seqs = int.Parse(Flag(args, "--seqs", "8"), CultureInfo.InvariantCulture);
        var compressions = Flag(args, "--compressions", "1,10,60").Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var portalDirectory = Flag(args, "--portal-dir", ShippedGatewayBenchmark.DefaultPortalDirectory());
        if (!File.Exists(Path.Combine(portalDirectory, "Portal.dll")))
        {
            Console.Error.WriteLine($"No Portal.dll in {portalDirectory}: build it first (dotnet build -c Release tests/Portal.Benchmarks) or pass --portal-dir.");
            return 2;
        }

        // Every simulator started under this run (the deployment's and the dry runs') exits with it, even when it is killed.
        Environment.SetEnvironmentVariable("PORTAL_SIMULATOR_EXIT_WITH_PID", Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        var dataDirectory = Directory.CreateTempSubdirectory("portal-bench-dry-run").FullName;
        await using var portal = await PortalProcess.StartAsync(portalDirectory, dataDirectory, "All", []);
        using var api = new HttpClient { BaseAddress = portal.BaseUri, Timeout = TimeSpan.FromMinutes(2) };
        api.DefaultRequestHeaders.Authorization = new("Bearer", await api.ClientCredentialsTokenAsync(PortalApp.ClientId, PortalApp.ClientSecret));

        Console.WriteLine($"Deploying {Model}: Llama 3.1 8B on 1× H100, one replica of {seqs} running sequences.");
        var (deploymentId, replica) = await DeployAsync(api, seqs);
        var key = (await ReadAsync(await api.PostAsJsonAsync("api/v1/keys", new { name = "known traffic" }))).GetProperty("secret").GetString()!;

        var plan = KnownTraffic.Plan(rate, TimeSpan.FromMinutes(minutes));
        Console.WriteLine($"Recording: {plan.Count} requests over {minutes} min through the gateway (load average {LoadAverage():0.0}).");
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        var failures = await KnownTraffic.SendAsync(portal.BaseUri, key, Model, plan, n => Progress("sent", n, plan.Count));
        var to = DateTimeOffset.UtcNow.AddSeconds(1);
        Console.WriteLine($"\nRecorded: {failures} failed; load average {LoadAverage():0.0}.");
        var engine = await EngineSawAsync(replica);
        await Task.Delay(TimeSpan.FromSeconds(5)); // the sample writer flushes every second

        var endpointId = (await api.GetFromJsonAsync<JsonElement>("api/v1/endpoints")).EnumerateArray()
            .Single(e => e.GetProperty("name").GetString() == Model).GetProperty("id").GetGuid();
        var rows = new List<(double Compression, JsonElement Report, double Load)>();
        foreach (var compression in compressions)
        {
            var run = await DryRunAsync(api, endpointId, from, to, compression, seqs);
            rows.Add((compression, run, LoadAverage()));
        }

        await StopAsync(api, deploymentId);
        await portal.StopAsync();
        Console.WriteLine();
        Console.WriteLine(Table(rows, engine, seqs));
        return 0;
    }

    private static async Task<(string Id, Uri Replica)> DeployAsync(HttpClient api, int seqs)
    {
        var created = await ReadAsync(await api.PostAsJsonAsync("api/v1/deployments", new
        {
            name = Model, model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
            runtime = new { maxConcurrentSequences = seqs },
            gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
        }));
        var id = created.GetProperty("id").GetString()!;
        var deadline = DateTimeOffset.UtcNow.AddMinutes(5);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var detail = await api.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{id}");
            var replicas = detail.GetProperty("replicas").EnumerateArray().ToList();
            if (detail.GetProperty("deployment").GetProperty("status").GetString() == "Ready"
                && replicas.Count == 1 && replicas[0].GetProperty("phase").GetString() == "Ready")
            {
                return (id, new Uri(replicas[0].GetProperty("baseUrl").GetString()!));
            }

            await Task.Delay(1_000);
        }

        throw new InvalidOperationException("The deployment did not become ready within 5 minutes.");
    }

    /// <summary>Stops the deployment and waits until its replica is gone: a local replica outlives a portal that stops first.</summary>
    private static async Task StopAsync(HttpClient api, string deploymentId)
    {
        await ReadAsync(await api.PostAsync($"api/v1/deployments/{deploymentId}/stop", null));
        for (var i = 0; i < 120; i++)
        {
            var detail = await api.GetFromJsonAsync<JsonElement>($"api/v1/deployments/{deploymentId}");
            if (detail.GetProperty("replicas").GetArrayLength() == 0)
            {
                return;
            }

            await Task.Delay(500);
        }

        Console.Error.WriteLine("The deployment's replica was still there 60 s after the stop.");
    }

    /// <summary>What the recording replica's engine saw: requests that waited for a running slot, and the mean wait (ms).</summary>
    private static async Task<(int Arrivals, int Queued, double MeanWaitMs)> EngineSawAsync(Uri replica)
    {
        using var client = new HttpClient();
        // The known traffic asks for 32 tokens or more; the portal's own probes of the replica ask for fewer.
        var arrivals = (await client.GetFromJsonAsync<JsonElement>(new Uri(replica, "/simulator/arrivals"))).EnumerateArray()
            .Where(a => a.GetProperty("maxTokens").GetInt32() >= 32)
            .Select(a => a.GetProperty("queueMs").ValueKind == JsonValueKind.Number ? a.GetProperty("queueMs").GetDouble() : 0).ToList();
        return (arrivals.Count, arrivals.Count(w => w > 1), arrivals.Count == 0 ? 0 : arrivals.Average());
    }

    private static async Task<JsonElement> DryRunAsync(HttpClient api, Guid endpointId, DateTimeOffset from, DateTimeOffset to, double compression, int seqs)
    {
        var name = $"as deployed ×{compression.ToString(CultureInfo.InvariantCulture)}";
        var started = await ReadAsync(await api.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs", new
        {
            from, to, compression,
            candidates = new[]
            {
                new { name, model = "llama-3.1-8b-instruct", gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1,
                    region = "us-east", maxConcurrentSequences = seqs },
            },
        }));
        var runId = started.GetProperty("id").GetGuid();
        Console.WriteLine($"Dry run {name}: {runId}");
        var deadline = DateTimeOffset.UtcNow + (to - from) / compression + TimeSpan.FromMinutes(10);
        while (DateTimeOffset.UtcNow < deadline)
        {
            var run = await api.GetFromJsonAsync<JsonElement>($"api/v1/endpoints/{endpointId}/dry-runs/{runId}");
            var status = run.GetProperty("status").GetString();
            Console.Write($"\r  {status} {run.GetProperty("progress").GetDouble():P0}   ");
            if (status == "Succeeded")
            {
                Console.WriteLine();
                return run.GetProperty("report");
            }

            if (status is "Failed" or "Cancelled" or "Interrupted")
            {
                throw new InvalidOperationException($"Dry run {name} ended {status}: {run}");
            }

            await Task.Delay(2_000);
        }

        throw new InvalidOperationException($"Dry run {name} did not finish in time.");
    }

    private static string Table(List<(double Compression, JsonElement Report, double Load)> rows, (int Arrivals, int Queued, double MeanWaitMs) engine, int seqs)
    {
        var recorded = rows[0].Report.GetProperty("recorded");
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Known traffic on 1× H100, {seqs} running sequences: {recorded.GetProperty("requests").GetInt32()} requests recorded.")
            .AppendLine()
            .AppendLine("| | TTFT p50 ms | p90 ms | p99 ms | queued | mean queue wait ms | failed | arrival lateness median / max (recorded ms) | load avg |")
            .AppendLine("|---|---|---|---|---|---|---|---|---|")
            .AppendLine(CultureInfo.InvariantCulture,
                $"| recorded (gateway; engine for queueing) | {Ms(recorded, "ttftP50Ms")} | {Ms(recorded, "ttftP90Ms")} | {Ms(recorded, "ttftP99Ms")} | {engine.Queued} of {engine.Arrivals} | {engine.MeanWaitMs:0} | | | |");
        foreach (var (compression, report, load) in rows)
        {
            var candidate = report.GetProperty("candidates")[0];
            var summary = candidate.GetProperty("summary");
            var fidelity = candidate.GetProperty("fidelity");
            var queued = summary.GetProperty("queued").GetInt32();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| dry run ×{compression} | {Ms(summary, "ttftP50Ms")} ({Off(summary, recorded, "ttftP50Ms")}) | {Ms(summary, "ttftP90Ms")} ({Off(summary, recorded, "ttftP90Ms")}) "
                + $"| {Ms(summary, "ttftP99Ms")} ({Off(summary, recorded, "ttftP99Ms")}) | {queued} of {summary.GetProperty("requests").GetInt32()} | {Ms(summary, "queueMeanMs")} "
                + $"| {summary.GetProperty("failed").GetInt32() + summary.GetProperty("throttled").GetInt32()} "
                + $"| {Lateness(fidelity, "medianLatenessMs", compression)} / {Lateness(fidelity, "maxLatenessMs", compression)} | {load:0.0} |");
        }

        return text.AppendLine()
            .AppendLine("Mean queue wait is over every request (a request that did not queue waited 0 ms). In brackets: the dry run against the recording.")
            .ToString();
    }

    private static string Ms(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble().ToString("0", CultureInfo.InvariantCulture) : "—";

    private static string Off(JsonElement candidate, JsonElement recorded, string name) =>
        candidate.GetProperty(name) is { ValueKind: JsonValueKind.Number } c && recorded.GetProperty(name) is { ValueKind: JsonValueKind.Number } r && r.GetDouble() > 0
            ? (c.GetDouble() / r.GetDouble() - 1).ToString("+0%;-0%;0%", CultureInfo.InvariantCulture)
            : "—";

    private static string Lateness(JsonElement fidelity, string name, double compression) =>
        fidelity.GetProperty(name) is { ValueKind: JsonValueKind.Number } value ? (value.GetDouble() * compression).ToString("0", CultureInfo.InvariantCulture) : "—";

    private static void Progress(string what, int done, int total)
    {
        if (done % 50 == 0 || done == total)
        {
            Console.Write($"\r  {what} {done} of {total}   ");
        }
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
