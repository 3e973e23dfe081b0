using Portal.Benchmarks.Simulator;

// Each benchmark is a subcommand in its own folder: dotnet run -c Release --project tests/Portal.Benchmarks -- <name> [flags]
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["simulator"] = SimulatorBenchmark.RunAsync,
    ["gateway"] = Portal.Benchmarks.Gateway.ShippedGatewayBenchmark.RunAsync,
    ["gateway-component"] = Portal.Benchmarks.Gateway.ComponentGatewayBenchmark.RunAsync,
    // Child process of the gateway benchmarks: proxy bare|portal <upstream root>.
    ["proxy"] = args => Portal.Benchmarks.Gateway.ProxyServer.RunAsync(args[0], new Uri(args[1])),
    ["audit"] = Portal.Benchmarks.Audit.AuditBenchmark.RunAsync,
    ["ttft"] = Portal.Benchmarks.Observability.TtftBenchmark.RunAsync,
    ["ingest"] = Portal.Benchmarks.Observability.IngestBenchmark.RunAsync,
    ["circuits"] = Portal.Benchmarks.Pages.CircuitsBenchmark.RunAsync,
    ["dry-run"] = Portal.Benchmarks.DryRun.DryRunAccuracyBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: Portal.Benchmarks <{string.Join("|", benchmarks.Keys)}> [flags]");
    return 2;
}

return await run(args[1..]);
