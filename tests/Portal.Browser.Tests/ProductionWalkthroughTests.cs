using System.ClientModel;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenAI;
using OpenAI.Chat;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// The README's Production walkthrough, step by step: a Production start on SQLite with certificates and the audit key
/// from files, no seed; the logged setup link creates the operator, who creates a tenant and invites its admin; the admin
/// accepts from the email, turns on two-factor sign-in, signs in again with a code, deploys a simulator-backed endpoint,
/// creates a key and calls <c>/v1</c> with the OpenAI SDK.
/// </summary>
public sealed partial class ProductionWalkthroughTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string AdminPassword = "Acme-admin-passphrase-2026";

    // Without GPUs or installed engines an operator runs replicas as simulators: the setting production.md names.
    private readonly PortalApp _app = new PortalApp().InProduction().With("Runtimes:Local:UseInstalledEngines", "false");

    [GeneratedRegex(@"https?://\S+/setup\?token=[A-Za-z0-9_-]{43}")]
    private static partial Regex SetupLink();

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)_app).DisposeAsync();

    [Fact]
    public async Task FromTheSetupLink_ToAnAnswerFromV1_AsAnOperatorAndATenantsFirstAdmin()
    {
        // 1. The log of the first start names the one-time setup link.
        var link = new Uri(SetupLink().Match(await _app.Log.WaitForAsync(l => SetupLink().IsMatch(l), TimeSpan.FromSeconds(60))).Value);

        // 2. The operator opens it and creates their account; the portal signs them in on the Tenants page.
        var operatorPage = await chromium.NewPageAsync(_app.BaseAddress);
        var setup = new SetupPage(operatorPage);
        await setup.OpenAsync(link);
        await BrowserFixture.ScreenshotAsync(operatorPage, "production-setup");
        await setup.CreateOperatorAsync("olga@operator.example", "Olga Operator", "A-long-operator-passphrase-2026");
        await operatorPage.WaitForURLAsync("**/platform/tenants");

        // 3. The operator creates the customer's tenant and invites its admin.
        var tenants = new PlatformTenantsPage(operatorPage);
        await new ShellPage(operatorPage).WaitUntilInteractiveAsync();
        await tenants.CreateAsync("Acme Research", "acme-research");
        await tenants.OpenInviteDialogAsync("Acme Research");
        await tenants.InviteAdminAsync("ada@acme.example");
        await Assertions.Expect(tenants.PendingInvitations).ToContainTextAsync("ada@acme.example");
        await Assertions.Expect(tenants.PendingInvitations).ToContainTextAsync("TenantAdmin");
        await BrowserFixture.ScreenshotAsync(operatorPage, "production-tenants-invite");
        await AtPhoneWidthTheDialogFitsAsync(operatorPage, tenants);
        await operatorPage.Context.CloseAsync();

        // 4. The admin follows the emailed link and creates their account: they are TenantAdmin of Acme Research.
        var mail = await _app.Mail.WaitForMessageAsync("ada@acme.example");
        Assert.Contains("Acme Research", mail.Subject);
        var page = await chromium.NewPageAsync(_app.BaseAddress);
        var invitation = new InvitationPage(page);
        await invitation.OpenAsync(MailSink.LinkTo(mail, "/account/invitation"));
        await Assertions.Expect(invitation.Summary).ToContainTextAsync("as TenantAdmin");
        await invitation.CreateAccountAsync("Ada Admin", AdminPassword);
        var shell = new ShellPage(page);
        Assert.Contains("Members", await shell.AreasAsync());

        // 5. Two-factor sign-in with an authenticator app: the test computes the codes from the key the page shows.
        var security = new AccountSecurityPage(page);
        await security.OpenFromUserMenuAsync();
        await security.StartSetUpAsync();
        var key = await security.KeyAsync();
        await security.ConfirmAsync(Totp.Code(key, stepsFromNow: -1));
        await Assertions.Expect(security.RecoveryCodes).ToHaveCountAsync(10);
        await BrowserFixture.ScreenshotAsync(page, "production-security");
        await security.ContinueAsync();
        await shell.AreasAsync();
        await shell.WaitUntilInteractiveAsync();

        // 6. Signed out and in again: the password, then the code.
        await shell.SignOutAsync();
        await page.WaitForURLAsync("**/account/login");
        var login = new LoginPage(page);
        await login.SignInAsync("ada@acme.example", AdminPassword);
        await login.EnterCodeAsync(Totp.Code(key));
        Assert.Contains("Endpoints", await shell.AreasAsync());

        // 7. The deploy wizard: Llama 3.1 8B as chat-small, one replica, until it is Ready.
        var wizard = new DeployWizardPage(page);
        await wizard.OpenAsync();
        await wizard.ChooseModelAsync("Llama 3.1 8B");
        await wizard.NameAsync("chat-small");
        for (var step = 0; step < 4; step++)
        {
            await wizard.NextAsync();
        }

        await wizard.DeployAsync();
        await page.WaitForURLAsync("**/endpoints/*");
        await Assertions.Expect(page.GetByTestId("replicas-table").GetByTestId("status").First).ToHaveTextAsync("Ready", new() { Timeout = 90_000 });

        // 8. An inference key, shown once.
        await page.GotoAsync("api-keys");
        await shell.WaitUntilInteractiveAsync();
        await page.GetByLabel("Name (the application that uses it)").FillAsync("walkthrough");
        await page.GetByTestId("create-key").ClickAsync();
        var secret = await page.GetByTestId("secret").InnerTextAsync();

        // 9. The official OpenAI SDK against the portal's /v1.
        var chat = new ChatClient("chat-small", new ApiKeyCredential(secret), new OpenAIClientOptions { Endpoint = new Uri(_app.BaseAddress, "v1") });
        ChatCompletion answer = await chat.CompleteChatAsync([new UserChatMessage("Say hello to Acme Research.")]);

        Assert.NotEmpty(answer.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The same dialog on a 390 px wide screen: nothing off screen, the page does not scroll sideways. The page is opened
    /// afresh at that width, as on a phone: a click while the layout re-renders for a resized window could miss.
    /// </summary>
    private static async Task AtPhoneWidthTheDialogFitsAsync(IPage page, PlatformTenantsPage tenants)
    {
        await tenants.CloseInviteDialogAsync();
        await page.SetViewportSizeAsync(PhoneScreen.Width, PhoneScreen.Height);
        await page.ReloadAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await tenants.OpenInviteDialogAsync("Acme Research");
        await Assertions.Expect(tenants.PendingInvitations).ToContainTextAsync("ada@acme.example");
        Assert.Empty(await new PhoneScreen(page).ProblemsAsync("tenants-invite", overlay: true));
    }
}
