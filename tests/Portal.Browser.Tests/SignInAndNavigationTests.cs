using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class SignInAndNavigationTests(BrowserFixture fixture)
{
    public static TheoryData<string, string[]> RolesAndAreas => new()
    {
        { "admin@demo.local", ["Overview", "Deploy", "Endpoints", "Observability", "Migration", "Regions", "Audit", "HealthSla", "Usage", "ApiKeys", "Members"] },
        { "dev@demo.local", ["Overview", "Deploy", "Endpoints", "Observability", "Migration", "Regions", "HealthSla", "Usage", "ApiKeys"] },
        { "auditor@demo.local", ["Overview", "Endpoints", "Observability", "Migration", "Regions", "Audit", "HealthSla", "Usage"] },
        { "support@portal.local", ["Overview", "Audit", "Support"] },
    };

    [Theory]
    [MemberData(nameof(RolesAndAreas))]
    public async Task EachSeededRole_SignsIn_AndSeesExactlyTheAreasItMayUse(string email, string[] expected)
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();

        await login.SignInAsync(email, PortalApp.Password);

        var areas = await new ShellPage(page).AreasAsync();
        Assert.Equal(expected, areas);
        await BrowserFixture.ScreenshotAsync(page, "overview-" + email.Split('@')[0]);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WrongPassword_ShowsTheGenericError()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();

        await login.SignInAsync("admin@demo.local", "not-the-password");

        await Assertions.Expect(login.Error).ToHaveTextAsync(
            "Sign-in failed: the email or password is wrong, or the account cannot sign in right now.");
        await BrowserFixture.ScreenshotAsync(page, "sign-in-error");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task TypingTheUrlOfAnAreaTheRoleMayNotUse_ShowsThe403Page()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        await new ShellPage(page).AreasAsync();

        var response = await page.GotoAsync("members");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(new ShellPage(page).Heading).ToContainTextAsync("403");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task SigningOut_ReturnsToTheSignInPage_AndThePortalAsksToSignInAgain()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("auditor@demo.local", PortalApp.Password);
        var shell = new ShellPage(page);
        await shell.AreasAsync();

        await shell.SignOutAsync();
        await page.WaitForURLAsync("**/account/login");
        await page.GotoAsync("");

        await page.WaitForURLAsync("**/account/login**");
    }
}
