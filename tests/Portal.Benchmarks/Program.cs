using Portal.Benchmarks.Simulator;

// Each benchmark is a subcommand in its own folder: dotnet run -c Release --project tests/Portal.Benchmarks -- <name> [flags]
var benchmarks = new Dictionary<string, Func<string[], Task<int>>>(StringComparer.OrdinalIgnoreCase)
{
    ["simulator"] = SimulatorBenchmark.RunAsync,
    ["gateway"] = Portal.Benchmarks.Gateway.GatewayBenchmark.RunAsync,
    ["audit"] = Portal.Benchmarks.Audit.AuditBenchmark.RunAsync,
    ["ttft"] = Portal.Benchmarks.Observability.TtftBenchmark.RunAsync,
    ["ingest"] = Portal.Benchmarks.Observability.IngestBenchmark.RunAsync,
};

if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var run))
{
    Console.Error.WriteLine($"Usage: Portal.Benchmarks <{string.Join("|", benchmarks.Keys)}> [flags]");
    return 2;
}

return await run(args[1..]);
