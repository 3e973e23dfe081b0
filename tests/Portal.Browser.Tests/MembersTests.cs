using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class MembersTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Admin_AddsAMember_WhoSignsIn_ThenDisablingThemEndsTheirOpenCircuit()
    {
        var adminPage = await fixture.NewPageAsync();
        var login = new LoginPage(adminPage);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var members = new MembersPage(adminPage);
        await members.OpenAsync();
        var email = $"new-{Guid.NewGuid():n}@demo.local";

        await members.AddAsync(email, "New Person", PortalApp.Password);
        await Assertions.Expect(members.Row(email)).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(adminPage, "members");

        var personPage = await fixture.NewPageAsync(width: 390, height: 844);
        var personLogin = new LoginPage(personPage);
        await personLogin.OpenAsync();
        await personLogin.SignInAsync(email, PortalApp.Password);
        await personPage.GetByTestId("overview-tenant").WaitForAsync();
        await BrowserFixture.ScreenshotAsync(personPage, "overview-phone");

        await members.DisableAsync(email);

        // The person's open page loses its session at the next revalidation and lands on the sign-in page.
        await personPage.WaitForURLAsync("**/account/login**", new() { Timeout = 30_000 });
        await adminPage.Context.CloseAsync();
        await personPage.Context.CloseAsync();
    }
}
