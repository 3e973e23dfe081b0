using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Core.Catalog;
using Portal.Core.DryRun;
using Portal.Core.Gateway;
using Portal.Core.Signals;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Migration.DryRun;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DryRunChartsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task FinishedDryRun_ChartsReplicasOverTimeAndTtftBesideTheRecording_ReadableOnAPhone()
    {
        var endpointId = await StoreFinishedRunAsync();
        var page = await fixture.NewPageAsync(PhoneScreen.Width, PhoneScreen.Height);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var runs = new DryRunsPage(page);
        await runs.OpenAsync(endpointId);
        await runs.ChooseAsync("chart-burst");

        // The run's figures: both candidates and the burst series; the buckets from the recording's ≤ 250 ms to the burst's ≤ 5 s.
        await Assertions.Expect(runs.ReplicasChart).ToContainTextAsync("chart-fixed");
        await Assertions.Expect(runs.ReplicasChart).ToContainTextAsync("chart-burst (burst)");
        await Assertions.Expect(runs.ReplicasChart).ToContainTextAsync("1:30");
        await Assertions.Expect(runs.TtftChart).ToContainTextAsync("Recorded");
        await Assertions.Expect(runs.TtftChart).ToContainTextAsync("≤ 250 ms");
        await Assertions.Expect(runs.TtftChart).ToContainTextAsync("≤ 5 s");
        await Assertions.Expect(runs.TtftChart).Not.ToContainTextAsync("≤ 7.5 s");
        await Assertions.Expect(runs.ReplicasChart.Locator("svg").First).ToBeVisibleAsync();
        await Assertions.Expect(runs.TtftChart.Locator("svg").First).ToBeVisibleAsync();
        Assert.Empty(await new PhoneScreen(page).ProblemsAsync("dry-run-charts"));

        // Why one candidate is faster: each line names its speed and where it comes from.
        await Assertions.Expect(runs.Speeds).ToHaveCountAsync(2);
        await Assertions.Expect(runs.Speeds.Nth(0)).ToContainTextAsync("chart-fixed: decode 12 ms a token, prefill 0.03 ms a prompt token, KV cache 450,000 tokens");
        await Assertions.Expect(runs.Speeds.Nth(1)).ToContainTextAsync("chart-burst: decode 8.38 ms a token");
        await Assertions.Expect(runs.Speeds.Nth(1)).ToContainTextAsync("decodes 1.43× as fast (memory bandwidth 4.8 TB/s a GPU)");

        // The migration page as it would read with each candidate serving the traffic: the advice and the four signals.
        await Assertions.Expect(runs.Afterwards).ToHaveCountAsync(2);
        await Assertions.Expect(runs.Afterwards.Nth(0)).ToContainTextAsync("chart-fixed, the migration page afterwards: Move back to serverless");
        await Assertions.Expect(runs.Afterwards.Nth(0)).ToContainTextAsync("Replica utilisation (ok)");
        await Assertions.Expect(runs.Afterwards.Nth(1)).ToContainTextAsync("chart-burst, the migration page afterwards: Served dedicated: its utilisation is not known yet");
        await Assertions.Expect(runs.Afterwards.Nth(1)).ToContainTextAsync("p99/p50 TTFT (not enough data)");
        Assert.Empty(await new PhoneScreen(page).ProblemsAsync("dry-run-afterwards"));
        await page.Context.CloseAsync();
    }

    private static CandidateSpeed Speed(string gpu)
    {
        var catalog = ModelCatalog.Default;
        var model = catalog.GetModel("llama-3.1-8b-instruct");
        return CandidatePerformance.Derive(catalog, SimulatorReference.Find("dedicated-8b-h100")!, model.DisplayName, model.Architecture,
            catalog.DefaultRuntime(model.Architecture), catalog.GetGpu(gpu), 1).Speed!;
    }

    /// <summary>A serverless endpoint with a finished two-candidate dry run, its report as the job stores it.</summary>
    private async Task<Guid> StoreFinishedRunAsync()
    {
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var endpoint = await DemoEndpoints.AddServerlessAsync(db, "chat-dry-run");
        var (tenant, now) = (endpoint.TenantId, endpoint.CreatedAt);

        var recordedCounts = new long[23];
        recordedCounts[8] = 40;
        var fixedCounts = new long[23];
        fixedCounts[9] = 40;
        var burstCounts = new long[23];
        burstCounts[9] = 30;
        burstCounts[13] = 10;
        var schedule = ReplaySchedule.Build([], now.AddHours(-2), now.AddHours(-2).AddMinutes(5), 10);
        CandidateReport Candidate(string name, int baseline, int max, IReadOnlyList<ReplicaCountPoint> points, long[] counts, string gpu) => new(
            name,
            new DryRunCandidate { Name = name, Model = "llama-3.1-8b-instruct", GpuType = gpu, Region = "us-east", BaselineReplicas = baseline, MaxReplicas = max },
            "dedicated-8b-h100", ReplaySummary.Summarise(schedule, [], []) with { Requests = 40, Succeeded = 40, TtftHistogram = counts },
            [], points, 0.2m, 2.49m, 0.5m, 0.0125m, ReplayFidelity.Compare(schedule, []), null, Speed(gpu), DryRunAfterwards.Assess(new AfterwardsInput
            {
                Schedule = schedule, TtftsMs = [], ColdStarts = 0, GpuHours = 0.2m, PricePerGpuHourUsd = 2.49m,
                Candidate = new DryRunCandidate { Model = "llama-3.1-8b-instruct", GpuType = gpu, Region = "us-east", BaselineReplicas = baseline },
                Capacity = ModelCatalog.Default.GetModel("llama-3.1-8b-instruct").CapacityOn(gpu, 1), ServerlessPrices = new ServerlessPrices(0, 0.6m),
            }));
        var report = new DryRunReport(DryRunReport.SimulationNotice, new RecordedTraffic(40, 40, 0, 200, 220, 240, 0, 0, recordedCounts),
            [
                Candidate("chart-fixed", 2, 2, [new(TimeSpan.Zero, 2, 0)], fixedCounts, "h100-80gb"),
                Candidate("chart-burst", 1, 3, [new(TimeSpan.Zero, 1, 0), new(TimeSpan.FromSeconds(90), 2, 1), new(TimeSpan.FromMinutes(4), 1, 0)], burstCounts, "h200-141gb"),
            ],
            null);
        db.DryRuns.Add(new DryRunRow
        {
            TenantId = tenant, EndpointId = endpoint.Id, CreatedAt = now, CreatedBy = "dev@demo.local", WindowFrom = now.AddHours(-2),
            WindowTo = now.AddHours(-2).AddMinutes(5), Compression = 10, Status = DryRunStatus.Succeeded, Progress = 1, StartedAt = now,
            FinishedAt = now, CandidatesJson = JsonSerializer.Serialize(report.Candidates.Select(c => c.Candidate), DryRunJson.Options),
            ReportJson = JsonSerializer.Serialize(report, DryRunJson.Options),
        });
        await db.SaveChangesAsync();
        return endpoint.Id;
    }
}
