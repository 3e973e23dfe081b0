using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class MembersTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Admin_InvitesAMember_WhoAcceptsFromTheMail_ThenDisablingThemEndsTheirOpenCircuit()
    {
        var adminPage = await fixture.NewPageAsync();
        var login = new LoginPage(adminPage);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var members = new MembersPage(adminPage);
        await members.OpenAsync();
        var email = $"new-{Guid.NewGuid():n}@demo.local";

        await members.InviteAsync(email);
        await Assertions.Expect(members.Invitation(email)).ToBeVisibleAsync();
        var link = MailSink.LinkTo(await fixture.App.Mail.WaitForMessageAsync(email), "/account/invitation");

        var personPage = await fixture.NewPageAsync(width: 390, height: 844);
        var invitation = new InvitationPage(personPage);
        await invitation.OpenAsync(link);
        await Assertions.Expect(invitation.Summary).ToContainTextAsync("Demo Inc.");
        await invitation.CreateAccountAsync("New Person", PortalApp.Password);
        await personPage.GetByTestId("overview-tenant").WaitForAsync();

        await members.OpenAsync();
        await Assertions.Expect(members.Row(email)).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(adminPage, "members");
        await BrowserFixture.ScreenshotAsync(personPage, "overview-phone");

        await members.DisableAsync(email);

        // The person's open page loses its session at the next revalidation and lands on the sign-in page.
        await personPage.WaitForURLAsync("**/account/login**", new() { Timeout = 30_000 });
        await adminPage.Context.CloseAsync();
        await personPage.Context.CloseAsync();
    }
}
