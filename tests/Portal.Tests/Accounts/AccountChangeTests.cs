using System.Net;
using Portal.Tests.Support;

namespace Portal.Tests.Accounts;

/// <summary>
/// A signed-in person changes their password (their other sessions end, this one carries on) and their email address
/// (nothing changes until the link sent to the new address is opened and confirmed).
/// </summary>
public sealed class AccountChangeTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task ChangePassword_SignsOutOtherSessions_AndKeepsThisOne()
    {
        var (person, email) = await app.NewPersonAsync();
        using var _ = person;
        using var otherDevice = app.NewClient();
        await otherDevice.SignInAsync(email);

        var changed = await person.SubmitFormAsync("account/settings", "change-password", new Dictionary<string, string>
        {
            ["Password.Current"] = PortalApp.Password,
            ["Password.New"] = AccountSelfService.NewPassword,
            ["Password.Confirm"] = AccountSelfService.NewPassword,
        });

        Assert.Contains("your other sessions are signed out", await changed.Content.ReadAsStringAsync());
        await otherDevice.AssertSentToSignInAsync();
        Assert.False(await person.IsSentToSignInAsync());
        Assert.True(await app.CanSignInAsync(email, AccountSelfService.NewPassword));
        Assert.False(await app.CanSignInAsync(email, PortalApp.Password));
    }

    [Fact]
    public async Task ChangePassword_WithAWrongCurrentPassword_IsRefusedWithTheReason()
    {
        var (person, email) = await app.NewPersonAsync();
        using var _ = person;

        var refused = await person.SubmitFormAsync("account/settings", "change-password", new Dictionary<string, string>
        {
            ["Password.Current"] = "not-my-password-at-all",
            ["Password.New"] = AccountSelfService.NewPassword,
            ["Password.Confirm"] = AccountSelfService.NewPassword,
        });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("data-testid=\"account-error\"", await refused.Content.ReadAsStringAsync());
        Assert.True(await app.CanSignInAsync(email, PortalApp.Password));
    }

    [Fact]
    public async Task ChangeEmail_TakesEffectOnlyWhenTheLinkSentToTheNewAddressIsConfirmed()
    {
        var (person, email) = await app.NewPersonAsync();
        using var _ = person;
        var newEmail = $"moved-{Guid.NewGuid():n}@example.com";

        var requested = await person.SubmitFormAsync("account/settings", "change-email", new Dictionary<string, string> { ["Address.Email"] = newEmail });

        Assert.Contains($"A confirmation link is on its way to {newEmail}", await requested.Content.ReadAsStringAsync());
        var link = MailSink.LinkTo(await app.Mail.WaitForMessageAsync(newEmail), "/account/confirm-email");
        Assert.True(await app.CanSignInAsync(email, PortalApp.Password));
        Assert.False(await app.CanSignInAsync(newEmail, PortalApp.Password));

        // Opening the link (as a mail scanner would) shows a confirmation; only confirming changes the address.
        using var reader = app.NewClient();
        Assert.Contains("confirm-email", await reader.GetStringAsync(link));
        Assert.True(await app.CanSignInAsync(email, PortalApp.Password));

        var confirmed = await reader.SubmitFormAsync(link, "confirm-email", new Dictionary<string, string>());

        Assert.Contains($"Your account signs in with {newEmail} from now on.", await confirmed.Content.ReadAsStringAsync());
        Assert.True(await app.CanSignInAsync(newEmail, PortalApp.Password));
        Assert.False(await app.CanSignInAsync(email, PortalApp.Password));
    }
}
