using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class WeightCredentialsTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Admin_StoresAHuggingFaceToken_SeesItOnce_ThenOnlyItsHint_AndDeletesIt()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var credentials = new WeightCredentialsPage(page);
        await credentials.OpenAsync();
        var token = $"hf_browser_{Guid.NewGuid():N}";

        await credentials.StoreHuggingFaceTokenAsync(token);

        await Assertions.Expect(credentials.ShownOnce).ToContainTextAsync(token);
        await Assertions.Expect(credentials.Row("Hugging Face token")).ToContainTextAsync("hf_…");
        await BrowserFixture.ScreenshotAsync(page, "weight-credentials");

        await credentials.OpenAsync();
        await Assertions.Expect(credentials.Row("Hugging Face token")).ToBeVisibleAsync();
        Assert.DoesNotContain(token, await page.ContentAsync());

        await credentials.DeleteAsync("Hugging Face token");
        await Assertions.Expect(credentials.Row("Hugging Face token")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
