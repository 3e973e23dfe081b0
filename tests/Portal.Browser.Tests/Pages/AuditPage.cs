using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

public sealed class AuditPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("audit");
        await page.GetByTestId("audit-table").WaitForAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public async Task FilterByActionAsync(string prefix)
    {
        await page.GetByLabel("Action (starts with)").FillAsync(prefix);
        await page.GetByTestId("apply-filters").ClickAsync();
    }

    public ILocator Rows => page.GetByTestId("audit-table").Locator("tbody tr");

    public ILocator Details => page.GetByTestId("audit-details");

    public ILocator Status => page.GetByTestId("verification-status");
}
