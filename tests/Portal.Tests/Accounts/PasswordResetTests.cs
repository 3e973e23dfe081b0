using System.Net;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Accounts;

/// <summary>
/// Password reset over the server-rendered forms, with the link read from the portal's SMTP sink: it works once, ends the
/// person's other sessions, and the answer to "forgot password" is the same whether or not the address has an account.
/// </summary>
public sealed class PasswordResetTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task ResetLink_WorksOnce_AndSignsOutThePersonsOtherSessions()
    {
        var (person, email) = await app.NewPersonAsync();
        using var _ = person;
        using var otherDevice = app.NewClient();
        await otherDevice.SignInAsync(email);
        using var visitor = app.NewClient();

        var requested = await visitor.RequestResetAsync(email);
        Assert.Contains(AccountService.ResetRequested, await requested.Content.ReadAsStringAsync());
        var mail = await app.Mail.WaitForMessageAsync(email, count: 2); // After the invitation.
        var link = MailSink.LinkTo(mail, "/account/reset-password");
        Assert.StartsWith(app.BaseAddress.ToString(), link);

        var reset = await visitor.ResetAsync(link, AccountSelfService.NewPassword);

        Assert.Contains("data-testid=\"password-reset\"", await reset.Content.ReadAsStringAsync());
        await person.AssertSentToSignInAsync();
        await otherDevice.AssertSentToSignInAsync();
        Assert.False(await app.CanSignInAsync(email, PortalApp.Password));
        Assert.True(await app.CanSignInAsync(email, AccountSelfService.NewPassword));

        // Used once, the link is spent: a second use changes nothing.
        using var later = app.NewClient();
        var again = await later.ResetAsync(link, "Yet-another-password-2026!");
        var page = await again.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("data-testid=\"reset-error\"", page);
        Assert.Contains("used already", page);
        Assert.True(await app.CanSignInAsync(email, AccountSelfService.NewPassword));
        Assert.False(await app.CanSignInAsync(email, "Yet-another-password-2026!"));
    }

    [Fact]
    public async Task ForgotPassword_ForAnUnknownAddress_AnswersExactlyAsForAnAccount_AndSendsNothing()
    {
        var (person, email) = await app.NewPersonAsync();
        person.Dispose();
        var unknown = $"nobody-{Guid.NewGuid():n}@example.com";
        using var visitor = app.NewClient();

        var forAccount = await visitor.RequestResetAsync(email);
        var forNobody = await visitor.RequestResetAsync(unknown);

        Assert.Equal(forAccount.StatusCode, forNobody.StatusCode);
        var answer = AccountSelfService.WithoutTokens(await forAccount.Content.ReadAsStringAsync());
        Assert.Contains(AccountService.ResetRequested, answer);
        Assert.Equal(answer, AccountSelfService.WithoutTokens(await forNobody.Content.ReadAsStringAsync()));
        await app.Mail.WaitForMessageAsync(email, count: 2);
        Assert.Empty(app.Mail.MessagesTo(unknown));
    }

    [Fact]
    public async Task SignInPage_OfAPortalWithoutTheDevelopmentMailSink_LinksToNoMail()
    {
        using var visitor = app.NewClient();

        var page = await visitor.GetStringAsync("account/login");

        Assert.Contains("forgot-password", page);
        Assert.DoesNotContain("development-mail", page);
    }
}

/// <summary>A reset link past its lifetime (<c>Identity:EmailLinkMinutes</c> = 0: expired as soon as it is sent) is refused.</summary>
public sealed class ExpiredResetLinkTests : IAsyncLifetime
{
    private readonly PortalApp _app = new PortalApp().With("Identity:EmailLinkMinutes", "0");

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task ResetLink_AfterItsLifetime_IsRefused_AndThePasswordStays()
    {
        var (person, email) = await _app.NewPersonAsync();
        using var _ = person;
        using var visitor = _app.NewClient();
        await visitor.RequestResetAsync(email);
        var link = MailSink.LinkTo(await _app.Mail.WaitForMessageAsync(email, count: 2), "/account/reset-password");

        var reset = await visitor.ResetAsync(link, AccountSelfService.NewPassword);

        var page = await reset.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"reset-error\"", page);
        Assert.Contains("expired", page);
        Assert.True(await _app.CanSignInAsync(email, PortalApp.Password));
        Assert.False(await _app.CanSignInAsync(email, AccountSelfService.NewPassword));
        Assert.False(await person.IsSentToSignInAsync());
    }
}
