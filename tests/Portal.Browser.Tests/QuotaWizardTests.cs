using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class QuotaWizardTests(BrowserFixture fixture)
{
    [Fact]
    public async Task HundredThousandReplicas_TheReplicasStepNamesTheQuota_AndSixteenGoesOn()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("dev@demo.local", PortalApp.Password);
        var wizard = new DeployWizardPage(page);
        await wizard.OpenAsync();
        await wizard.ChooseModelAsync("Llama 3.1 8B");
        await wizard.NameAsync("quota-check");
        await wizard.NextAsync();
        await Assertions.Expect(wizard.FitSummary).ToContainTextAsync("fits");
        await wizard.NextAsync();

        await wizard.ReplicasAsync(baseline: 100000, max: 100000);
        await Assertions.Expect(wizard.StepErrors).ToContainTextAsync("quota 'replicas per deployment' is 16; requested 100000 baseline replicas.");
        await Assertions.Expect(wizard.StepErrors).ToContainTextAsync("quota 'GPUs in use' is 64; 0 in use by other deployments");
        await Assertions.Expect(wizard.Next).ToBeDisabledAsync();

        await wizard.ReplicasAsync(baseline: 16, max: 16);
        await Assertions.Expect(wizard.StepErrors).ToHaveCountAsync(0);
        await Assertions.Expect(wizard.Next).ToBeEnabledAsync();
        await page.Context.CloseAsync();
    }
}
