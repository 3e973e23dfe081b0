using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>An endpoint's dry runs: the list of runs and, for the chosen one, its comparison and charts.</summary>
public sealed class DryRunsPage(IPage page)
{
    public async Task OpenAsync(Guid endpointId)
    {
        await page.GotoAsync($"migration/dry-runs/{endpointId}");
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    /// <summary>Opens a run's report by clicking its row (the row that shows <paramref name="candidate"/>).</summary>
    public Task ChooseAsync(string candidate) => page.Locator("tr", new() { HasText = candidate }).First.ClickAsync();

    public ILocator ReplicasChart => page.GetByTestId("dry-run-replicas-chart");

    public ILocator TtftChart => page.GetByTestId("dry-run-ttft-chart");

    /// <summary>One line per candidate: the speed its simulators ran at and why.</summary>
    public ILocator Speeds => page.GetByTestId("dry-run-speed");

    /// <summary>One block per candidate: the endpoint's migration page as it would read with that candidate serving the traffic.</summary>
    public ILocator Afterwards => page.GetByTestId("dry-run-afterwards");
}
