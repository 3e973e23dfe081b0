using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

/// <summary>
/// An admin locks the organisation to the EU on the Regions page; the deploy wizard then offers only EU regions and the
/// API, called with the same signed-in session, refuses a US region with the residency reason.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class RegionLockTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AdminSetsAnEuPolicy_TheWizardOffersOnlyEuRegions_AndTheApiRefusesAUsRegion()
    {
        // A portal of its own: the shared one may hold deployments in US regions, which an EU policy would strand.
        var app = new PortalApp();
        await ((IAsyncLifetime)app).InitializeAsync();
        try
        {
            var page = await fixture.Chromium.NewPageAsync(app.BaseAddress);
            var login = new LoginPage(page);
            await login.OpenAsync();
            await login.SignInAsync("admin@demo.local", PortalApp.Password);

            var regions = new RegionsPage(page);
            await regions.OpenAsync();
            await Assertions.Expect(regions.PolicySummary).ToContainTextAsync("No residency policy");
            await regions.SetPolicyAsync("EU", "GDPR: customer data stays in the EU");
            await Assertions.Expect(regions.PolicySummary).ToContainTextAsync("outside eu-amsterdam, eu-frankfurt, eu-paris");
            await BrowserFixture.ScreenshotAsync(page, "regions-eu-policy");

            var wizard = new DeployWizardPage(page);
            await wizard.OpenAsync();
            await wizard.ChooseModelAsync("Llama 3.1 8B");
            await wizard.NameAsync("eu-chat");
            await wizard.NextAsync();
            await wizard.NextAsync();
            await wizard.NextAsync();
            await Assertions.Expect(wizard.RegionLockNote).ToContainTextAsync("eu-amsterdam, eu-frankfurt, eu-paris");
            foreach (var us in new[] { "US West (Oregon)", "US Central (Iowa)", "US East (Virginia)", "US South (Texas)" })
            {
                await Assertions.Expect(wizard.Region(us)).ToHaveClassAsync(Disabled());
                await Assertions.Expect(wizard.Region(us)).ToContainTextAsync("outside the region lock");
            }

            await Assertions.Expect(wizard.Region("EU Paris")).Not.ToHaveClassAsync(Disabled());
            await wizard.Region("EU Paris").ClickAsync();
            await BrowserFixture.ScreenshotAsync(page, "deploy-region-locked");
            await wizard.NextAsync();
            await Assertions.Expect(wizard.Review).ToContainTextAsync("EU Paris (partner data centre) (EU)");

            var refused = await page.APIRequest.PostAsync("api/v1/deployments", new APIRequestContextOptions
            {
                DataObject = new
                {
                    name = "us-attempt", model = new { source = "Catalog", catalogId = "llama-3.1-8b-instruct" }, engine = "Vllm",
                    gpuType = "h100-80gb", gpusPerReplica = 1, baselineReplicas = 1, maxReplicas = 1, region = "us-east",
                },
            });
            Assert.Equal(400, refused.Status);
            var problem = JsonDocument.Parse(await refused.TextAsync()).RootElement;
            Assert.Contains("outside this organisation's region lock", problem.GetProperty("errors").GetProperty("Region")[0].GetString());
            await page.Context.CloseAsync();
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [GeneratedRegex("mud-list-item-disabled")]
    private static partial Regex Disabled();
}
