using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Core.Catalog;
using Portal.Core.Deployments;
using Portal.Core.DryRun;
using Portal.Core.Gateway;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Data.Sqlite;
using Portal.Runtimes;
using Portal.Runtimes.Local;
using Portal.Tests.Support;

namespace Portal.Tests.Migration;

/// <summary>A portal that stops in the middle of a dry run leaves no run shown as running and no simulator of it alive.</summary>
public sealed class DryRunRecoveryTests
{
    [Fact]
    public async Task PortalStoppedGracefullyMidRun_EndsTheRunAsInterrupted_AndNoSimulatorOfItIsAlive()
    {
        var first = new PortalApp { KeepOnDispose = true };
        Guid endpointId, runId;
        IReadOnlyList<int> simulators;
        try
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            using var client = first.NewClient();
            await client.SignInAsync("dev@demo.local");
            DateTimeOffset from;
            Guid targetId;
            (endpointId, targetId, from) = await DryRunRecordings.EndpointAsync(first, client, "dry-run-stopped");
            await DryRunRecordings.StoreAsync(first, endpointId, targetId, "dry-run-stopped", from,
                Enumerable.Range(0, 120).Select(i => new Recorded(i * 4, GatewayOperation.Chat, 200, 10, Streamed: true)));

            // Eight recorded minutes at ×4 replay in two: the portal stops well before the end.
            var started = await client.PostAsJsonAsync($"api/v1/endpoints/{endpointId}/dry-runs",
                new { from, to = from.AddMinutes(8), compression = 4, candidates = new[] { DryRunRecordings.Candidate("1× H100") } });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var deadline = DateTimeOffset.UtcNow + DryRunRecordings.Patience;
            while ((await client.GetFromJsonAsync<JsonElement>($"api/v1/endpoints/{endpointId}/dry-runs/{runId}")).GetProperty("progress").GetDouble() == 0)
            {
                Assert.True(DateTimeOffset.UtcNow < deadline, "The dry run never showed progress.");
                await Task.Delay(250);
            }

            simulators = SimulatorProcesses(first.DataDirectory, runId);
            Assert.NotEmpty(simulators);
            Assert.All(simulators, pid => Assert.True(IsAlive(pid)));
        }
        finally
        {
            await ((IAsyncLifetime)first).DisposeAsync();
        }

        var second = PortalApp.OnExistingData(first.DataDirectory);
        try
        {
            await ((IAsyncLifetime)second).InitializeAsync();
            using var client = second.NewClient();
            await client.SignInAsync("dev@demo.local");
            var run = await DryRunRecordings.FinishedAsync(client, endpointId, runId);
            Assert.Equal("Interrupted", run.GetProperty("status").GetString());
            Assert.Contains("The portal stopped during this dry run", run.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, run.GetProperty("report").ValueKind);
            await StoppedAsync(simulators);

            var page = await client.GetStringAsync($"migration/dry-runs/{endpointId}");
            Assert.Contains("The portal stopped during this dry run", page);

            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var ends = await db.AuditRecords.AsNoTracking()
                .Where(r => r.ResourceId == endpointId.ToString() && (r.Action == "endpoint.dry_run_finished" || r.Action == "endpoint.dry_run_interrupted"))
                .Select(r => r.Action).ToListAsync();
            // The graceful stop ended the run itself (its job's own end); nothing was left for the next start to mark.
            Assert.Equal(["endpoint.dry_run_finished"], ends);
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }

    [Fact]
    public async Task RunLeftRunningByAKilledPortal_IsMarkedInterruptedAtTheNextStart_AndItsSimulatorIsStopped()
    {
        var first = new PortalApp { KeepOnDispose = true };
        Guid endpointId, tenantId;
        LocalRuntimeOptions runtimeOptions;
        try
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            using var client = first.NewClient();
            await client.SignInAsync("dev@demo.local");
            (endpointId, _, _) = await DryRunRecordings.EndpointAsync(first, client, "dry-run-killed");
            await using var scope = first.Services.CreateAsyncScope();
            tenantId = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Endpoints
                .Where(e => e.Id == endpointId).Select(e => e.TenantId).SingleAsync();
            runtimeOptions = first.Services.GetRequiredService<IOptions<LocalRuntimeOptions>>().Value;
        }
        finally
        {
            await ((IAsyncLifetime)first).DisposeAsync();
        }

        // What a killed portal leaves: the run stored as Running with no job to finish it, and its candidate's simulator
        // still running, filed under the run's id in the local runtime's state folder.
        var runId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await using (var db = new PortalDbContext(new DbContextOptionsBuilder<PortalDbContext>()
            .UsePortalSqlite($"Data Source={Path.Combine(first.DataDirectory, "portal.db")}").Options))
        {
            db.DryRuns.Add(new DryRunRow
            {
                Id = runId, TenantId = tenantId, EndpointId = endpointId, CreatedAt = now, CreatedBy = "dev@demo.local",
                WindowFrom = now.AddHours(-2), WindowTo = now.AddHours(-1), Compression = 60, Status = DryRunStatus.Running,
                Progress = 0.3, StartedAt = now, ExpectedEndAt = now.AddMinutes(1), CandidatesJson = "[]",
            });
            await db.SaveChangesAsync();
        }

        var model = ModelCatalog.Default.GetModel("llama-3.1-8b-instruct");
        var deployment = DeploymentValidator.Validate(new DryRunCandidate { Model = "llama-3.1-8b-instruct", GpuType = "h100-80gb", Region = "us-east" }
            .ToSpec("dry-run-1", ModelCatalog.Default.DefaultRuntime(model.Architecture)), ModelCatalog.Default, new DeploymentValidationContext()).Deployment!;
        int simulator;
        using (var runtime = new LocalProcessRuntime(new LocalRuntimeOptions
        {
            StateDirectory = runtimeOptions.StateDirectory, SimulatorPath = runtimeOptions.SimulatorPath, DotnetHost = runtimeOptions.DotnetHost,
            UseInstalledEngines = false,
        }))
        {
            await runtime.StartReplicaAsync(new ReplicaLaunch
            {
                TenantId = tenantId, DeploymentId = runId, Deployment = deployment, SimulatorProfile = "dedicated-8b-h100", SimulatorTimeScale = 1.0 / 60,
            });
            simulator = Assert.Single(SimulatorProcesses(first.DataDirectory, runId));
            Assert.True(IsAlive(simulator));
        }

        var second = PortalApp.OnExistingData(first.DataDirectory);
        try
        {
            await ((IAsyncLifetime)second).InitializeAsync();
            using var client = second.NewClient();
            await client.SignInAsync("dev@demo.local");
            var run = await DryRunRecordings.FinishedAsync(client, endpointId, runId);
            Assert.Equal("Interrupted", run.GetProperty("status").GetString());
            Assert.Contains("The portal stopped during this dry run", run.GetProperty("error").GetString());
            await StoppedAsync([simulator]);

            await using var scope = second.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var audited = await db.AuditRecords.AsNoTracking()
                .Where(r => r.ResourceId == endpointId.ToString() && r.Action == "endpoint.dry_run_interrupted").CountAsync();
            Assert.Equal(1, audited);
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }

    /// <summary>The process ids the local runtime recorded for the run's simulators (its state files sit under the run's id).</summary>
    internal static IReadOnlyList<int> SimulatorProcesses(string dataDirectory, Guid runId)
    {
        var folder = Path.Combine(dataDirectory, "replicas", runId.ToString("N"));
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json")
                .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("processId").GetInt32()).ToList()
            : [];
    }

    /// <summary>Waits (within the dry-run tests' patience) until none of the processes is alive.</summary>
    private static async Task StoppedAsync(IReadOnlyList<int> processes)
    {
        var deadline = DateTimeOffset.UtcNow + DryRunRecordings.Patience;
        while (processes.FirstOrDefault(IsAlive) is var alive and not 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Simulator process {alive} of the interrupted dry run is still alive.");
            await Task.Delay(250);
        }
    }

    internal static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
