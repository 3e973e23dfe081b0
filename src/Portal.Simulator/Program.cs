using Portal.Simulator;
using Portal.Simulator.Configuration;

SimulatorOptions options;
try
{
    options = SimulatorCommandLine.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

// Thousands of concurrent streams start at once; growing the pool one thread per half second would stall them.
ThreadPool.GetMinThreads(out var workers, out var io);
ThreadPool.SetMinThreads(Math.Max(workers, 256), Math.Max(io, 256));

// The engine-like output, beginning with the banner "Simulating <model> on <url>", goes to stdout.
await using var server = await SimulatorServer.StartAsync(options, engineLog: Console.Out);
using var stop = new CancellationTokenSource();
_ = OwnerWatch.FromEnvironment()?.StopWhenGoneAsync(stop, TimeSpan.FromSeconds(1));
await server.WaitForShutdownAsync(stop.Token);
return 0;

/// <summary>Internal, so projects that reference the simulator keep their own <c>Program</c>.</summary>
internal partial class Program;
