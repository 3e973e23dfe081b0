using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The page an invitation's link opens.</summary>
public sealed class InvitationPage(IPage page)
{
    public async Task OpenAsync(string link) => await page.GotoAsync(link);

    public ILocator Summary => page.GetByTestId("invitation-summary");

    public async Task CreateAccountAsync(string name, string password)
    {
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("Password (12 characters or more)").FillAsync(password);
        await page.GetByLabel("The same again").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the account and join" }).ClickAsync();
    }
}
