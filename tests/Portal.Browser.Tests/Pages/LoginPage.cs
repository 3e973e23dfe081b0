using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

public sealed class LoginPage(IPage page)
{
    public async Task OpenAsync() => await page.GotoAsync("account/login");

    public async Task SignInAsync(string email, string password)
    {
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public ILocator Error => page.GetByTestId("login-error");
}
