using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class DeployWizardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task NewUser_SeesARefusalForAModelThatDoesNotFit_DeploysOneThatDoes_AndWatchesItBecomeReady()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var wizard = new DeployWizardPage(page);
        await wizard.OpenAsync();

        await wizard.ChooseModelAsync("Llama 3.1 405B");
        await wizard.NameAsync("too-big");
        await wizard.NextAsync();
        await Assertions.Expect(wizard.FitSummary).ToContainTextAsync("does not fit");
        await Assertions.Expect(wizard.StepErrors).ToContainTextAsync("GiB");
        await Assertions.Expect(wizard.Next).ToBeDisabledAsync();
        await BrowserFixture.ScreenshotAsync(page, "deploy-refused");

        await wizard.BackAsync();
        await wizard.ChooseModelAsync("Llama 3.1 8B");
        await wizard.NameAsync("chat-small");
        await wizard.NextAsync();
        await Assertions.Expect(wizard.FitSummary).ToContainTextAsync("fits");
        await wizard.NextAsync();
        await Assertions.Expect(page.GetByTestId("cost")).ToContainTextAsync("per month");
        await wizard.NextAsync();
        await wizard.NextAsync();
        await page.GetByText("Engine command line").ClickAsync();
        await Assertions.Expect(wizard.CommandLine).ToContainTextAsync("vllm serve");
        await BrowserFixture.ScreenshotAsync(page, "deploy-review");
        await wizard.DeployAsync();

        await page.WaitForURLAsync("**/endpoints/*");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("chat-small");
        await Assertions.Expect(page.GetByTestId("replicas-table").GetByTestId("status").First)
            .ToHaveTextAsync("Ready", new() { Timeout = 60_000 });
        await BrowserFixture.ScreenshotAsync(page, "endpoint");
        await fixture.App.StopReplicasAsync();
        await page.Context.CloseAsync();
    }
}
