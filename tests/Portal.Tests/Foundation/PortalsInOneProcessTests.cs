using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

/// <summary>
/// The tests host many portals in one process, and Hangfire's logging is process-wide: stopping the portal that
/// configured it last must leave the others queuing and running their jobs — also with Hangfire components built after
/// it stopped, which take their loggers from the process-wide provider when they are built.
/// </summary>
public sealed class PortalsInOneProcessTests
{
    [Fact]
    public async Task StoppingTheLastStartedPortal_LeavesAnEarlierOneQueuingAndRunningJobs()
    {
        IAsyncLifetime first = new PortalApp();
        await first.InitializeAsync();
        try
        {
            IAsyncLifetime second = new PortalApp();
            await second.InitializeAsync();
            await second.DisposeAsync();

            var app = (PortalApp)first;
            using var client = app.NewClient();
            await client.SignInAsync("auditor@demo.local");
            using var response = await client.PostAsync("api/v1/audit/verify", null);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var fromApi = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("jobId").GetString()!;
            var storage = app.Services.GetRequiredService<JobStorage>();
            var fromNewClient = new BackgroundJobClient(storage).Enqueue<Portal.Audit.AuditVerificationJob>(job => job.RunAsync(false, CancellationToken.None));
            Assert.Equal("Succeeded", await FinalStateAsync(storage, fromApi));
            Assert.Equal("Succeeded", await FinalStateAsync(storage, fromNewClient));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static async Task<string?> FinalStateAsync(JobStorage storage, string jobId)
    {
        var monitoring = storage.GetMonitoringApi();
        string? state = null;
        for (var attempt = 0; attempt < 150 && state is not ("Succeeded" or "Failed"); attempt++)
        {
            await Task.Delay(200);
            state = monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
        }

        return state;
    }
}
