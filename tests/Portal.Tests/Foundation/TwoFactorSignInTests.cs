using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Entities;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

/// <summary>Sign-in with an authenticator app: setting it up, the second step, recovery codes, lockout.</summary>
public sealed class TwoFactorSignInTests(PortalApp app) : IClassFixture<PortalApp>
{
    [Fact]
    public async Task Enrolled_PasswordAloneDoesNotSignIn_TheCodeFromTheAppDoes()
    {
        var (email, _) = await NewMemberAsync();
        using var browser = app.NewClient();
        await browser.SignInAsync(email);
        var (key, _) = await browser.EnrolTwoFactorAsync();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/v1/me")).StatusCode);

        using var later = app.NewClient();
        var password = await later.SubmitLoginAsync(email, PortalApp.Password);

        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.Contains("account/login/two-factor", password.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await later.GetAsync("api/v1/me")).StatusCode);

        var code = await later.SubmitSecondFactorAsync(Totp.Code(key));

        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/", code.Headers.Location!.AbsolutePath);
        var me = await later.GetFromJsonAsync<JsonElement>("api/v1/me");
        Assert.Equal("Demo Inc.", me.GetProperty("tenants")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Enrolling_IsAuditedInTheTenant_WithNeitherKeyNorCodesInTheTrail()
    {
        var (email, _) = await NewMemberAsync();
        using var browser = app.NewClient();
        await browser.SignInAsync(email);
        var before = await LastSequenceAsync();

        var (key, recoveryCodes) = await browser.EnrolTwoFactorAsync();
        using var later = app.NewClient();
        await later.SignInWithTwoFactorAsync(email, key);

        var records = await RecordsSinceAsync(before, await UserIdAsync(email));
        Assert.Equal(["two_factor.setup_started", "two_factor.enabled", "auth.signed_in"], records.Select(r => r.Action));
        var demo = await TenantIdAsync("demo");
        Assert.All(records, r => Assert.Equal(demo, r.TenantId));
        Assert.Contains("authenticator", records[^1].Details);
        var trail = JsonSerializer.Serialize(records);
        Assert.DoesNotContain(key, trail, StringComparison.OrdinalIgnoreCase);
        Assert.All(recoveryCodes, c => Assert.DoesNotContain(c, trail));
    }

    [Fact]
    public async Task TheSecurityPage_ShowsAQrCodeOfTheOtpauthUri_AndRefusesAWrongConfirmationCode()
    {
        var (email, _) = await NewMemberAsync();
        using var browser = app.NewClient();
        await browser.SignInAsync(email);

        var started = await (await browser.SubmitSecurityFormAsync("two-factor-start")).Content.ReadAsStringAsync();
        Assert.Contains("data:image/png;base64,", started);
        var wrong = await browser.SubmitSecurityFormAsync("two-factor-enable", ("EnableInput.Code", "000000"));

        var page = await wrong.Content.ReadAsStringAsync();
        Assert.Contains("That is not the code the app shows now", page);
        Assert.Empty(TwoFactorClient.RecoveryCodesShown(page));
        Assert.False(await WithUserAsync(email, (users, user) => users.GetTwoFactorEnabledAsync(user)));
    }

    [Fact]
    public async Task ARecoveryCode_SignsInOnce_AndNeverAgain()
    {
        var (email, _) = await NewMemberAsync();
        using var browser = app.NewClient();
        await browser.SignInAsync(email);
        var (_, recoveryCodes) = await browser.EnrolTwoFactorAsync();
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        Assert.All(recoveryCodes, c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c));

        using var first = app.NewClient();
        await first.SubmitLoginAsync(email, PortalApp.Password);
        var used = await first.SubmitSecondFactorAsync(recoveryCodes[3].ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("api/v1/me")).StatusCode);

        using var second = app.NewClient();
        await second.SubmitLoginAsync(email, PortalApp.Password);
        var again = await second.SubmitSecondFactorAsync(recoveryCodes[3]);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("That code is not right", await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("api/v1/me")).StatusCode);
        Assert.Equal(9, await WithUserAsync(email, (users, user) => users.CountRecoveryCodesAsync(user)));
    }

    [Fact]
    public async Task WrongCodes_CountTowardLockout_ThenEvenTheRightCodeIsRefused()
    {
        var (email, _) = await NewMemberAsync();
        using var browser = app.NewClient();
        await browser.SignInAsync(email);
        var (key, _) = await browser.EnrolTwoFactorAsync();
        using var attacker = app.NewClient();
        await attacker.SubmitLoginAsync(email, PortalApp.Password);

        var wrong = await attacker.SubmitSecondFactorAsync(WrongCode(key));

        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("That code is not right", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(1, await WithUserAsync(email, (users, user) => users.GetAccessFailedCountAsync(user)));

        await attacker.SubmitSecondFactorAsync("AAAAA-BBBBB"); // a wrong recovery code counts as well
        Assert.Equal(2, await WithUserAsync(email, (users, user) => users.GetAccessFailedCountAsync(user)));
        // The right password again does not wipe the count: the second factor is still unproven.
        Assert.Contains("two-factor", (await attacker.SubmitLoginAsync(email, PortalApp.Password)).Headers.Location!.ToString());
        Assert.Equal(2, await WithUserAsync(email, (users, user) => users.GetAccessFailedCountAsync(user)));
        for (var i = 0; i < 3; i++)
        {
            await attacker.SubmitSecondFactorAsync(WrongCode(key));
        }

        Assert.True(await WithUserAsync(email, (users, user) => users.IsLockedOutAsync(user)));
        var right = await attacker.SubmitSecondFactorAsync(Totp.Code(key));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("api/v1/me")).StatusCode);
        // The owner's own open session ends with the lockout too, until it passes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task TheSecondStep_WithoutAPasswordFirst_SendsThePersonToSignIn()
    {
        using var stranger = app.NewClient();

        var response = await stranger.GetAsync("account/login/two-factor");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("account/login", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AuthorizationCode_ForAnEnrolledPerson_IsIssuedOnlyAfterTheCode()
    {
        await new OidcTests(app).InitializeAsync();
        var (email, _) = await NewMemberAsync();
        string key;
        using (var setup = app.NewClient())
        {
            await setup.SignInAsync(email);
            key = (await setup.EnrolTwoFactorAsync()).Key;
        }

        using var browser = app.NewClient();
        var (verifier, challenge) = OidcTests.NewPkce();
        var authorize = OidcTests.AuthorizeUrl(challenge, "S256", OidcRedirect);
        var toLogin = await browser.GetAsync(authorize);
        Assert.Contains("/account/login", toLogin.Headers.Location!.ToString());
        var returnUrl = "/" + authorize;

        var password = await browser.SubmitLoginAsync(email, PortalApp.Password, returnUrl);
        Assert.Contains("account/login/two-factor", password.Headers.Location!.ToString());
        Assert.Contains("/account/login", (await browser.GetAsync(authorize)).Headers.Location!.ToString());

        var code = await browser.SubmitSecondFactorAsync(Totp.Code(key), returnUrl);
        Assert.Equal(returnUrl, code.Headers.Location!.PathAndQuery);
        var callback = await browser.GetAsync(authorize);
        Assert.StartsWith(OidcRedirect, callback.Headers.Location!.ToString());
        var exchanged = await OidcTests.ExchangeAsync(browser, QueryHelpers.ParseQuery(callback.Headers.Location!.Query)["code"].ToString(), verifier);
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
    }

    [Fact]
    public async Task TurningItOff_AsksForACurrentCode_AndThenThePasswordAloneSignsIn()
    {
        var (email, _) = await NewMemberAsync();
        using var browser = app.NewClient();
        await browser.SignInAsync(email);
        var (key, recoveryCodes) = await browser.EnrolTwoFactorAsync();

        var refused = await browser.SubmitSecurityFormAsync("two-factor-disable", ("DisableInput.Code", WrongCode(key)));
        Assert.Contains("That code is not right", await refused.Content.ReadAsStringAsync());
        var regenerated = await browser.SubmitSecurityFormAsync("two-factor-regenerate", ("RegenerateInput.Code", Totp.Code(key, 1)));
        var newCodes = TwoFactorClient.RecoveryCodesShown(await regenerated.Content.ReadAsStringAsync());
        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(recoveryCodes));
        var disabled = await browser.SubmitSecurityFormAsync("two-factor-disable", ("DisableInput.Code", newCodes[0]));
        Assert.Contains("Two-factor sign-in is off.", await disabled.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("api/v1/me")).StatusCode);

        using var later = app.NewClient();
        await later.SignInAsync(email);
        Assert.Equal(HttpStatusCode.OK, (await later.GetAsync("api/v1/me")).StatusCode);
        var actions = (await RecordsSinceAsync(0, await UserIdAsync(email))).Select(r => r.Action).ToList();
        Assert.Contains("two_factor.recovery_codes.regenerated", actions);
        Assert.Contains("two_factor.disabled", actions);
    }

    private const string OidcRedirect = "http://127.0.0.1:53999/callback";

    /// <summary>A code of the right shape that the app does not show at any step Identity accepts.</summary>
    private static string WrongCode(string key)
    {
        var valid = Enumerable.Range(-3, 7).Select(step => Totp.Code(key, step)).ToHashSet();
        return Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6")).First(c => !valid.Contains(c));
    }

    /// <summary>A fresh Developer of the demo tenant, invited by its admin; the person accepts by creating the account.</summary>
    private async Task<(string Email, Guid MemberId)> NewMemberAsync()
    {
        using var admin = app.NewClient();
        await admin.SignInAsync("admin@demo.local");
        var email = $"tf-{Guid.NewGuid():n}@demo.local";
        var (person, memberId) = await app.InviteAndJoinAsync(admin, await TenantIdAsync("demo"), email, "Developer", name: "Two Factor");
        person.Dispose();
        return (email, memberId);
    }

    private async Task<T> WithUserAsync<T>(string email, Func<UserManager<PortalUser>, PortalUser, Task<T>> read)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await read(users, (await users.FindByEmailAsync(email))!);
    }

    private Task<string> UserIdAsync(string email) => WithUserAsync(email, (_, user) => Task.FromResult(user.Id.ToString()));

    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    private async Task<long> LastSequenceAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.MaxAsync(r => r.Sequence);
    }

    private async Task<List<Portal.Core.Audit.AuditRecord>> RecordsSinceAsync(long sequence, string actorId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditRecords.AsNoTracking()
            .Where(r => r.Sequence > sequence && r.ActorId == actorId).OrderBy(r => r.Sequence).ToListAsync();
    }
}
