using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

public sealed class MembersPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("members");
        await page.GetByTestId("members-table").WaitForAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public async Task AddAsync(string email, string name, string temporaryPassword)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Temporary password").FillAsync(temporaryPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
    }

    public ILocator Row(string email) => page.GetByTestId("members-table").Locator("tr", new() { HasText = email });

    public async Task DisableAsync(string email) => await page.GetByLabel($"Enabled: {email}").ClickAsync();
}
