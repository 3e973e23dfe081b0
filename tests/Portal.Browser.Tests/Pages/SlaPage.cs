using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>Health & SLA: the tenant's endpoints this month, open incidents, and one endpoint's drill-down.</summary>
public sealed class SlaPage(IPage page)
{
    public Task OpenAsync() => page.GotoAsync("/health");

    public ILocator Alarm => page.GetByTestId("incident-alarm");

    public ILocator Incidents => page.GetByTestId("incident");

    public ILocator Row(string endpoint) => page.GetByTestId("sla-table").Locator("tr", new LocatorLocatorOptions { HasText = endpoint });

    public Task OpenEndpointAsync(string endpoint) => Row(endpoint).GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = endpoint }).ClickAsync();

    public ILocator Figures => page.GetByTestId("sla-figures");
}
