using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>Health & SLA: the tenant's endpoints this month, open incidents, and one endpoint's drill-down.</summary>
public sealed class SlaPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/health");
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public ILocator Alarm => page.GetByTestId("incident-alarm");

    public ILocator Incidents => page.GetByTestId("incident");

    public ILocator Row(string endpoint) => page.GetByTestId("sla-table").Locator("tr", new LocatorLocatorOptions { HasText = endpoint });

    /// <summary>Follows the endpoint's link once the circuit runs: a link followed while it starts can be lost.</summary>
    public async Task OpenEndpointAsync(string endpoint)
    {
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await Row(endpoint).GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = endpoint }).ClickAsync();
    }

    public ILocator Figures => page.GetByTestId("sla-figures");

    /// <summary>The endpoint's TTFT objective: its verdict, and for a TenantAdmin the form that sets it.</summary>
    public ILocator Objective => page.GetByTestId("latency-objective");

    public ILocator SaveObjective => page.GetByTestId("objective-save");

    /// <summary>Sets the threshold, keeping the percentile and window shown, and saves.</summary>
    public async Task SetObjectiveAsync(int thresholdMs)
    {
        await page.Locator("input[data-testid=objective-threshold], [data-testid=objective-threshold] input").FillAsync(thresholdMs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await SaveObjective.ClickAsync();
    }
}
