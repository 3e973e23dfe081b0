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
}
