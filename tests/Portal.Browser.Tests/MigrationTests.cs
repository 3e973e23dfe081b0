using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Core.Deployments;
using Portal.Core.Gateway;
using Portal.Deployments;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class MigrationTests(BrowserFixture fixture)
{
    [Fact]
    public async Task StartMigration_OnAServerlessEndpoint_OpensTheWizardPrefilledWithTheSmallestConfiguration()
    {
        // The serverless endpoint as registering one stores it; the wizard only reads it (no request reaches the URL).
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var tenant = await db.Tenants.Where(t => t.Name == "Demo Inc.").Select(t => t.Id).SingleAsync();
            var target = new Target
            {
                TenantId = tenant, Name = "chat-migrate (serverless)", Kind = TargetKind.Serverless, BaseUrl = "http://127.0.0.1:9/v1/",
                UpstreamModel = "meta-llama/Llama-3.1-8B-Instruct", Region = "us-east", InputPricePerMillion = 0.2m, OutputPricePerMillion = 0.6m,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.Targets.Add(target);
            db.Endpoints.Add(new InferenceEndpoint { TenantId = tenant, Name = "chat-migrate", PrimaryTargetId = target.Id, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        await page.GotoAsync("endpoints");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        // Other tests of this portal register serverless endpoints too: pick this one's row.
        await page.GetByTestId("serverless-endpoints").Locator("tr", new() { HasText = "chat-migrate" }).GetByTestId("start-migration").ClickAsync();

        await page.WaitForURLAsync("**/deploy?migrate=*");
        await Assertions.Expect(page.GetByTestId("migration-banner")).ToContainTextAsync("chat-migrate");
        await Assertions.Expect(page.GetByTestId("migration-config")).ToHaveTextAsync("1 × H100 80GB");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync("chat-migrate-dedicated");
        await Assertions.Expect(page.GetByTestId("migration-banner")).ToContainTextAsync("Shadow 10");
        await BrowserFixture.ScreenshotAsync(page, "start-migration");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task MigrationPage_ForADedicatedEndpoint_ShowsItsUtilisation_AndNeverSaysStayOnServerless()
    {
        // A deployment a person stopped after two hours of one replica: the reconciler leaves it as it is.
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var tenant = await db.Tenants.Where(t => t.Name == "Demo Inc.").Select(t => t.Id).SingleAsync();
            var now = DateTimeOffset.UtcNow;
            var spec = new DeploymentSpec
            {
                Name = "own-chat", Model = new ModelReference { Source = ModelSource.Catalog, CatalogId = "llama-3.1-8b-instruct" },
                GpuType = "h100-80gb", Region = "us-east",
            };
            var deployment = new Deployment
            {
                TenantId = tenant, Name = "own-chat", SpecJson = DeploymentSpecJson.Serialize(spec), ModelDisplayName = "Llama 3.1 8B Instruct",
                ServedModelName = "own-chat", Engine = "Vllm", GpuType = "h100-80gb", GpusPerReplica = 1, BaselineReplicas = 1, MaxReplicas = 1,
                DesiredReplicas = 0, Region = "us-east", PricePerGpuHour = 2.5m, Status = DeploymentStatus.Stopped, CreatedAt = now.AddHours(-3),
                CreatedBy = "dev@demo.local", UpdatedAt = now.AddHours(-1),
            };
            deployment.Replicas.Add(new Replica
            {
                TenantId = tenant, Phase = ReplicaPhase.Stopped, Region = "us-east", CreatedAt = now.AddHours(-3), StoppedAt = now.AddHours(-1),
                PhaseChangedAt = now.AddHours(-1),
            });
            var target = new Target { TenantId = tenant, Name = "own-chat", Kind = TargetKind.Dedicated, DeploymentId = deployment.Id, Region = "us-east", CreatedAt = now };
            db.Deployments.Add(deployment);
            db.Targets.Add(target);
            db.Endpoints.Add(new InferenceEndpoint { TenantId = tenant, Name = "own-chat", PrimaryTargetId = target.Id, CreatedAt = now });
            await db.SaveChangesAsync();
        }

        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var migration = new MigrationPage(page);
        await migration.OpenAsync("own-chat");

        await Assertions.Expect(migration.Recommendation).ToContainTextAsync("Move back to serverless");
        await Assertions.Expect(migration.Recommendation).Not.ToContainTextAsync("Stay on serverless", new() { IgnoreCase = true });
        await Assertions.Expect(migration.DedicatedStatus).ToContainTextAsync("0.0%");
        await Assertions.Expect(migration.DedicatedStatus).ToContainTextAsync("catalog: MLPerf Inference v5.1");
        await Assertions.Expect(migration.Objective).ToContainTextAsync("none set");
        await Assertions.Expect(migration.TierCosts).ToContainTextAsync("$5.00");

        // Stating custom weights holds it on dedicated: the requirement is named and the advice becomes "keep".
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await migration.StateCustomWeightsAsync();
        await Assertions.Expect(migration.Signal("requirements")).ToContainTextAsync("custom or fine-tuned weights (stated on the endpoint)");
        await Assertions.Expect(migration.Recommendation).ToContainTextAsync("Keep dedicated: custom or fine-tuned weights requires it");
        await BrowserFixture.ScreenshotAsync(page, "migration-dedicated");

        // A dedicated endpoint can be dry-run too: its own traffic against other configurations.
        await page.GetByTestId("signals-dry-run").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/migration/dry-runs/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByTestId("start-dry-run")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task BreakEvenPage_PrefilledFromTheAddress_ShowsTheCrossingOnTheChart_AndFitsAPhone()
    {
        var page = await fixture.NewPageAsync(375, 740);
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("auditor@demo.local", PortalApp.Password);

        await page.GotoAsync("migration/break-even?inputPrice=0.5&outputPrice=1.5&inputTokens=1000&outputTokens=200&observed=3000000");

        // $2.49 × 730 = $1,817.70 a month; a request costs $0.0008 → they cross at 2,272,125 requests.
        await Assertions.Expect(page.GetByTestId("be-crossing")).ToContainTextAsync("2,272,125");
        await Assertions.Expect(page.GetByTestId("be-observed-verdict")).ToContainTextAsync("dedicated is cheaper");
        await Assertions.Expect(page.GetByTestId("be-crossing-mark")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("be-observed-mark")).ToHaveCountAsync(1); // a vertical line: no width, so never "visible"
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"));
        await BrowserFixture.ScreenshotAsync(page, "break-even-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task PipelinesPage_ShowsTheWorstCaseAndTheStageToMove_AndIsInTheMigrationNavigation()
    {
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var tenant = await db.Tenants.Where(t => t.Name == "Demo Inc.").Select(t => t.Id).SingleAsync();
            var stages = new List<PipelineStage>();
            foreach (var (name, estimateMs) in new[] { ("pl-embed", 4_000), ("pl-generate", 12_000) })
            {
                var target = new Target
                {
                    TenantId = tenant, Name = $"{name} (serverless)", Kind = TargetKind.Serverless, BaseUrl = "http://127.0.0.1:9/v1/",
                    UpstreamModel = "vendor-model", CreatedAt = DateTimeOffset.UtcNow,
                };
                var endpoint = new InferenceEndpoint { TenantId = tenant, Name = name, PrimaryTargetId = target.Id, CreatedAt = DateTimeOffset.UtcNow };
                db.Targets.Add(target);
                db.Endpoints.Add(endpoint);
                stages.Add(new PipelineStage { Name = name[3..], EndpointId = endpoint.Id, Position = stages.Count, EstimatedColdStartMs = estimateMs });
            }

            db.Pipelines.Add(new Pipeline { TenantId = tenant, Name = "answer", Stages = stages, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        // A link clicked while the circuit is still starting can change the address without changing the page
        // (the framework's router is not listening yet), so wait for the circuit as a person waits for the page.
        var shell = new ShellPage(page);
        await shell.WaitUntilInteractiveAsync();
        await page.Locator("[data-page='/pipelines']").ClickAsync();
        await page.WaitForURLAsync("**/pipelines");
        await Assertions.Expect(shell.Heading).ToHaveTextAsync("Pipelines");
        // The list loads after the circuit connects; on a busy machine that can take longer than the default timeout.
        await Assertions.Expect(page.GetByTestId("pipelines-table")).ToContainTextAsync("answer", new() { Timeout = 45_000 });
        await page.GetByTestId("pipelines-table").GetByText("answer").ClickAsync();

        await Assertions.Expect(page.GetByTestId("cascade-worst")).ToHaveTextAsync("16.0 s");
        await Assertions.Expect(page.GetByTestId("cascade-advice")).ToContainTextAsync("generate");
        await Assertions.Expect(page.GetByTestId("cascade-report")).ToContainTextAsync("your estimate");
        await Assertions.Expect(page.GetByTestId("pipeline-stage")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "pipelines");
        await page.Context.CloseAsync();
    }
}
