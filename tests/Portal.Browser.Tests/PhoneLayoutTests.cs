using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// Every page at 390 × 844 with the first-run demo's data in it: nothing makes the page scroll sideways, the heading
/// and every button stay on the screen, the navigation drawer folds away, and dialogs fit.
/// </summary>
public sealed class PhoneLayoutTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private readonly PortalApp _app = new PortalApp().WithDemo();

    [Fact]
    public async Task AtPhoneWidth_EveryPageFitsTheScreen_TheDrawerFoldsAway_AndDialogsFit()
    {
        var page = await NewPhonePageAsync();
        var problems = new List<string>();

        await new LoginPage(page).OpenAsync();
        problems.AddRange(await new PhoneScreen(page).ProblemsAsync("login"));
        await new LoginPage(page).SignInAsync("admin@demo.local", PortalApp.Password);
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await NavigationDrawerFoldsAwayAsync(page);

        var deploymentId = await WaitForDemoDeploymentAsync(TimeSpan.FromSeconds(40));
        var pages = new (string Path, string Name, string? Ready)[]
        {
            ("", "overview", "demo-card"),
            ("deploy", "deploy", null),
            ("endpoints", "endpoints", "endpoints-table"),
            ($"endpoints/{deploymentId}", "deployment", "replicas-table"),
            ("observability?model=chat-small&window=1h", "observability", "ttft-percentiles"),
            ("migration", "migration", "fleet-table"),
            ("migration?model=chat-large", "migration-model", "recommendation"),
            ("migration/break-even?inputPrice=0.5&outputPrice=1.5&inputTokens=1000&outputTokens=200&observed=3000000", "break-even", "be-crossing"),
            ("pipelines", "pipelines", null),
            ("regions", "regions", "regions-table"),
            ("regions/report", "residency-report", null),
            ("audit", "audit", "audit-table"),
            ("health", "health", "sla-table"),
            ("usage", "usage", "usage-table"),
            ("api-keys", "api-keys", "keys-table"),
            ("members", "members", null),
        };
        foreach (var (path, name, ready) in pages)
        {
            await page.GotoAsync(path);
            await new ShellPage(page).WaitUntilInteractiveAsync();
            if (ready is not null)
            {
                await WaitForAsync(page, ready, name);
            }

            problems.AddRange(await new PhoneScreen(page).ProblemsAsync(name));
        }

        await page.GotoAsync("health");
        await new SlaPage(page).OpenEndpointAsync("chat-small");
        await page.GetByTestId("sla-figures").WaitForAsync();
        problems.AddRange(await new PhoneScreen(page).ProblemsAsync("health-endpoint"));

        await page.GotoAsync("audit");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await page.GetByTestId("audit-table").Locator("tbody tr").First.ClickAsync();
        await page.GetByTestId("audit-drawer").WaitForAsync();
        problems.AddRange(await new PhoneScreen(page).ProblemsAsync("audit-record", overlay: true));
        if (await page.GetByTestId("audit-drawer").Locator(".mud-table-container").EvaluateAsync<bool>("e => e.scrollWidth > e.clientWidth + 1"))
        {
            problems.Add("audit-record: the record scrolls sideways instead of wrapping its ids and hashes.");
        }

        await page.GotoAsync($"endpoints/{deploymentId}");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await page.Locator(".mud-dialog").WaitForAsync();
        problems.AddRange(await new PhoneScreen(page).ProblemsAsync("delete-dialog", overlay: true));
        await page.Locator(".mud-dialog").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();

        await EveryDeployStepFitsAsync(page, problems);

        await page.GetByTestId("tenant-switcher").ClickAsync();
        await page.Locator(".mud-popover-open .mud-menu-item", new() { HasText = "Acme Research" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("tenant-switcher")).ToContainTextAsync("Acme Research");
        problems.AddRange(await new PhoneScreen(page).ProblemsAsync("second-tenant"));
        await page.Context.CloseAsync();

        var support = await NewPhonePageAsync();
        await new LoginPage(support).OpenAsync();
        await new LoginPage(support).SignInAsync("support@portal.local", PortalApp.Password);
        await support.GotoAsync("support");
        await new ShellPage(support).WaitUntilInteractiveAsync();
        await support.GetByTestId("tenants-table").WaitForAsync();
        problems.AddRange(await new PhoneScreen(support).ProblemsAsync("support"));
        await support.GetByLabel("Reason for looking in").FillAsync("Ticket #1234: layout on a phone");
        await support.GetByRole(AriaRole.Button, new() { Name = "Look into Demo Inc." }).ClickAsync();
        await support.GetByTestId("demo-card").WaitForAsync();
        problems.AddRange(await new PhoneScreen(support).ProblemsAsync("overview-look-in"));
        await support.Context.CloseAsync();

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Waits for the part of the page that holds its data; if it never comes, says what the page showed instead.</summary>
    private static async Task WaitForAsync(IPage page, string testId, string name)
    {
        try
        {
            // This class runs beside the other browser tests' portals on two cores: give a loaded machine time.
            await page.GetByTestId(testId).First.WaitForAsync(new() { Timeout = 45_000 });
        }
        catch (TimeoutException)
        {
            var shown = await page.Locator(".mud-main-content").InnerTextAsync(new() { Timeout = 2_000 });
            Assert.Fail($"{name}: {testId} never appeared. The page showed: {shown}");
        }
    }

    private static async Task EveryDeployStepFitsAsync(IPage page, List<string> problems)
    {
        var wizard = new DeployWizardPage(page);
        await wizard.OpenAsync();
        await wizard.NameAsync("phone-check");
        string[] steps = ["gpus", "replicas", "region", "review"];
        for (var i = 0; i < steps.Length; i++)
        {
            await wizard.NextAsync();
            var current = page.GetByTestId("wizard-steps").Locator(".mud-chip-color-primary");
            await Assertions.Expect(current).ToContainTextAsync($"{i + 2}.");
            problems.AddRange(await new PhoneScreen(page).ProblemsAsync("deploy-" + steps[i]));
        }
    }

    /// <summary>On a phone the drawer would cover the page: it starts closed, the menu button opens it, and choosing a page closes it.</summary>
    private static async Task NavigationDrawerFoldsAwayAsync(IPage page)
    {
        var drawer = page.Locator(".mud-drawer");
        var endpoints = page.Locator("[data-area=Endpoints]");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Assertions.Expect(endpoints).Not.ToBeInViewportAsync();

        await page.GetByLabel("Toggle navigation").ClickAsync();
        await Assertions.Expect(endpoints).ToBeInViewportAsync();
        await BrowserFixture.ScreenshotAsync(page, "phone-drawer");
        await endpoints.ClickAsync();

        await page.WaitForURLAsync("**/endpoints");
        await Assertions.Expect(drawer).ToHaveClassAsync(new Regex("mud-drawer--closed"));
        await Assertions.Expect(endpoints).Not.ToBeInViewportAsync();
    }

    private Task<IPage> NewPhonePageAsync() => chromium.NewPageAsync(_app.BaseAddress, phone: true);

    /// <summary>The demo's dedicated deployment, once the gateway has served it a request (so its pages have figures).</summary>
    private async Task<Guid> WaitForDemoDeploymentAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var scope = _app.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                var deployment = await db.Deployments.AsNoTracking().Where(d => d.Name == "chat-small").Select(d => (Guid?)d.Id).FirstOrDefaultAsync();
                if (deployment is { } id && await db.RequestSamples.AsNoTracking().AnyAsync(s => s.Model == "chat-small" && s.StatusCode == 200))
                {
                    return id;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"The demo served no request to chat-small within {timeout.TotalSeconds} s.");
            await Task.Delay(500);
        }
    }

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_app).InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
    }
}
