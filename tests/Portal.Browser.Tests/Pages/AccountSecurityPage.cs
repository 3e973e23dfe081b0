using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The account security page: setting up sign-in with an authenticator app.</summary>
public sealed class AccountSecurityPage(IPage page)
{
    /// <summary>Opens the page the way a person does: from the user menu.</summary>
    public async Task OpenFromUserMenuAsync()
    {
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("account-security").ClickAsync();
        await page.WaitForURLAsync("**/account/security");
    }

    public async Task StartSetUpAsync() => await page.GetByRole(AriaRole.Button, new() { Name = "Set up two-factor sign-in" }).ClickAsync();

    public ILocator QrCode => page.GetByTestId("two-factor-qr");

    /// <summary>The key as shown, in groups of four: what a person types into an app that cannot scan.</summary>
    public async Task<string> KeyAsync() => (await page.GetByTestId("two-factor-key").InnerTextAsync()).Replace(" ", "").ToUpperInvariant();

    public async Task ConfirmAsync(string code)
    {
        await page.GetByLabel("The six-digit code the app shows").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
    }

    public ILocator RecoveryCodes => page.GetByTestId("recovery-codes").Locator("li");

    public async Task ContinueAsync() => await page.GetByRole(AriaRole.Link, new() { Name = "I have saved them: continue" }).ClickAsync();
}
