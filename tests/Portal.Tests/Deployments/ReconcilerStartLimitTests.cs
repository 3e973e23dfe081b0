using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Deployments;

/// <summary>Runtimes:MaxStartsPerPass spreads a deployment's launches over several reconcile passes.</summary>
public sealed class ReconcilerStartLimitTests
{
    [Fact]
    public async Task StartLimitOfOne_LaunchesEachReplicaInItsOwnPass_AndStillConverges()
    {
        var app = new PortalApp().With("Runtimes:MaxStartsPerPass", "1");
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            using var client = app.NewClient();
            await client.SignInAsync("dev@demo.local");
            var created = await client.PostAsJsonAsync("api/v1/deployments", new
            {
                name = "paced-chat", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
                gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 3, maxReplicas = 3, region = "us-east",
            });
            var id = Guid.Parse((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);

            await DeploymentLifecycleTests.WaitForAsync(client, id.ToString(), d => DeploymentLifecycleTests.AllReady(d, 3), seconds: 120);

            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var started = await db.DeploymentEvents.AsNoTracking().Where(e => e.DeploymentId == id && e.Kind == "replica.started")
                .Select(e => e.At).ToListAsync();
            // Every event of one pass carries that pass's time: one launch per pass means three distinct times.
            Assert.Equal(3, started.Count);
            Assert.Equal(3, started.Distinct().Count());
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
