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

    /// <summary>The second step, after the password of an account with two-factor sign-in.</summary>
    public async Task EnterCodeAsync(string code)
    {
        await page.WaitForURLAsync("**/account/login/two-factor**");
        await page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
    }

    public ILocator Error => page.GetByTestId("login-error");
}
