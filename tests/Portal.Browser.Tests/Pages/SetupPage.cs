using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The one-time setup page a first Production start links to in its log: it creates the first platform operator.</summary>
public sealed class SetupPage(IPage page)
{
    public async Task OpenAsync(Uri link) => await page.GotoAsync(link.ToString());

    public async Task CreateOperatorAsync(string email, string name, string password)
    {
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync(email);
        await page.GetByLabel("Your name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Repeat the password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create the operator" }).ClickAsync();
    }
}
