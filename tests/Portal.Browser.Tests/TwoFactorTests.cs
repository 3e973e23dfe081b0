using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TwoFactorTests(BrowserFixture fixture)
{
    [Fact]
    public async Task APerson_SetsUpAnAuthenticatorApp_FromTheKeyOnThePage_AndSignsInAgainWithItsCode()
    {
        var email = await NewMemberAsync();
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync(email, PortalApp.Password);
        var security = new AccountSecurityPage(page);
        await security.OpenFromUserMenuAsync();

        await security.StartSetUpAsync();
        await Assertions.Expect(security.QrCode).ToBeVisibleAsync();
        var key = await security.KeyAsync();
        await BrowserFixture.ScreenshotAsync(page, "account-security");
        await security.ConfirmAsync(Totp.Code(key, stepsFromNow: -1));

        await Assertions.Expect(security.RecoveryCodes).ToHaveCountAsync(10);
        await security.ContinueAsync();
        var shell = new ShellPage(page);
        await shell.AreasAsync();
        await shell.WaitUntilInteractiveAsync();
        await shell.SignOutAsync();
        await page.WaitForURLAsync("**/account/login");

        await login.SignInAsync(email, PortalApp.Password);
        await login.EnterCodeAsync(Totp.Code(key));

        Assert.Contains("Overview", await shell.AreasAsync());
        await page.Context.CloseAsync();
    }

    private async Task<string> NewMemberAsync()
    {
        using var admin = fixture.App.NewClient();
        await admin.SignInAsync("admin@demo.local");
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var demo = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == "demo").Select(t => t.Id).SingleAsync();
        var email = $"app-{Guid.NewGuid():n}@demo.local";
        var (person, _) = await fixture.App.InviteAndJoinAsync(admin, demo, email, "Developer", name: "App User");
        person.Dispose();
        return email;
    }
}
