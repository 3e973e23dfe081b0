using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Sqlite;
using Portal.Gateway;
using Portal.Gateway.Samples;
using Portal.Gateway.Seams;
using Portal.Inference;
using Portal.Residency;

namespace Portal.Benchmarks.Observability;

/// <summary>
/// Sustained sample ingest: the gateway's real queue and writer feed the real <see cref="DatabaseSampleSink"/> (raw
/// rows plus minute rollups) in a migrated SQLite file, offered at a fixed rate (default 20,000/s for 20 s). Reports
/// the rate the database kept up with and how many samples were lost (dropped, failed, or missing from the table).
/// </summary>
public static class IngestBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rate = Flag(args, "--rate", 20_000);
        var seconds = Flag(args, "--seconds", 20);
        var batch = Flag(args, "--batch", new GatewayOptions().SampleBatchSize);
        var folder = Directory.CreateTempSubdirectory("portal-ingest-bench-");
        var services = new ServiceCollection();
        services.AddLogging();
        // The gateway's hosted services (the sample writer among them) expect a host's lifetime, as in the portal.
        services.AddSingleton<IHostApplicationLifetime, Microsoft.Extensions.Hosting.Internal.ApplicationLifetime>();
        services.AddPortalGateway(o => o.SampleBatchSize = batch);
        services.AddDbContextFactory<PortalDbContext>(o => o.UsePortalSqlite($"Data Source={Path.Combine(folder.FullName, "portal.db")}"));
        // The sink counts residency refusals as it writes (as in the portal); the benchmark's samples have none to flush.
        services.AddSingleton<GatewayResidencyRefusals>();
        services.AddSingleton<Portal.Migration.DryRun.DryRunTraffic>();
        services.AddSingleton<ISampleSink, DatabaseSampleSink>();
        await using var provider = services.BuildServiceProvider();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
            // As the portal prepares its SQLite file (Hosting/DataSetup): write-ahead logging.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        var queue = provider.GetRequiredService<SampleQueue>();
        var writers = provider.GetServices<IHostedService>().ToList();
        foreach (var writer in writers)
        {
            await writer.StartAsync(CancellationToken.None);
        }

        var tenant = Guid.NewGuid();
        var endpoints = Enumerable.Range(0, 5).Select(_ => (Endpoint: Guid.NewGuid(), Target: Guid.NewGuid())).ToArray();
        var random = new Random(20);
        var total = (long)rate * seconds;
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            // Pace by the clock: offer sample i no earlier than i / rate seconds after the start.
            if (i % 500 == 0)
            {
                var due = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }

            var (endpoint, target) = endpoints[i % endpoints.Length];
            queue.Add(new RequestSample
            {
                Timestamp = DateTimeOffset.UtcNow, TenantId = tenant, KeyId = Guid.Empty, Operation = GatewayOperation.Chat, Model = "bench",
                EndpointId = endpoint, TargetId = target, Tier = TargetKind.Serverless, Region = "us-east", StatusCode = 200, Streamed = true,
                TtftMs = 100 + random.NextDouble() * 400, EndToEndMs = 900, PromptTokens = 200, CompletionTokens = 80, Attempts = 1,
            });
        }

        var offered = clock.Elapsed;
        while (queue.Written + queue.Failed + queue.Dropped < total)
        {
            await Task.Delay(20);
        }

        var drained = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart;
        foreach (var writer in writers)
        {
            await writer.StopAsync(CancellationToken.None);
        }

        long rows, rolledUp;
        await using (var db = await provider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            rows = await db.RequestSamples.LongCountAsync();
            rolledUp = await db.MinuteRollups.SumAsync(r => r.Requests);
        }

        var lost = total - rows;
        // The rate counts only samples that reached the table: dropped ones cost the writer nothing.
        var sustained = rows / drained.TotalSeconds;
        Console.WriteLine($"Writer batches of {batch:N0}. Offered {total:N0} samples at {rate:N0}/s over {offered.TotalSeconds:F1} s; the queue drained after " +
            $"{drained.TotalSeconds:F1} s: {rows:N0} rows stored = {sustained:N0} samples/s sustained.");
        // On a shared machine the wall-clock rate depends on what else runs; CPU time per sample does much less.
        Console.WriteLine($"CPU time of the whole process (producer, queue, writer, SQLite): {cpu.TotalSeconds:F1} s = {rows / cpu.TotalSeconds:N0} samples per CPU-second.");
        Console.WriteLine($"Dropped {queue.Dropped:N0}, failed {queue.Failed:N0}, raw rows {rows:N0}, rolled up {rolledUp:N0}: lost {lost:N0}.");
        folder.Delete(true);
        return lost == 0 && rolledUp == total && sustained >= rate * 0.98 ? 0 : 1;
    }

    private static int Flag(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1]) : fallback;
    }
}
