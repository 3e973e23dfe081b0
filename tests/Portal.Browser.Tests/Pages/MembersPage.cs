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

    public async Task InviteAsync(string email)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true }).ClickAsync();
    }

    public ILocator Invitation(string email) => page.GetByTestId("invitations-table").Locator("tr", new() { HasText = email });

    public ILocator Row(string email) => page.GetByTestId("members-table").Locator("tr", new() { HasText = email });

    public async Task DisableAsync(string email) => await page.GetByLabel($"Enabled: {email}").ClickAsync();
}
