using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

public sealed class WeightCredentialsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("members/weight-credentials");
        await page.GetByTestId("weight-credentials-table").WaitForAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public async Task StoreHuggingFaceTokenAsync(string token)
    {
        await page.GetByLabel("Access token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Store", Exact = true }).ClickAsync();
    }

    public ILocator ShownOnce => page.GetByTestId("weight-credential-shown");

    public ILocator Table => page.GetByTestId("weight-credentials-table");

    public ILocator Row(string kind) => Table.Locator("tr", new() { HasText = kind });

    public async Task DeleteAsync(string kind) =>
        await Row(kind).GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
}
