using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class GuidedTourTests(BrowserFixture fixture)
{
    private static readonly string[] AdminSteps = ["Overview", "Endpoints", "Observability", "Migration", "HealthSla", "Audit"];

    [Fact]
    public async Task FirstVisit_ShowsTheTour_WhichWalksTheAreas_IsRememberedOnceSkipped_AndCanBeTakenAgain()
    {
        var page = await fixture.NewPageAsync(tourSeen: false);
        await SignInAsync(page, "admin@demo.local");
        var card = page.GetByTestId("tour-card");

        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tour-progress")).ToHaveTextAsync($"Step 1 of {AdminSteps.Length}");
        await BrowserFixture.ScreenshotAsync(page, "tour-overview");
        for (var i = 0; i < AdminSteps.Length; i++)
        {
            await ExpectStepAsync(page, AdminSteps[i]);
            if (i < AdminSteps.Length - 1)
            {
                await page.GetByTestId("tour-next").ClickAsync();
            }
        }

        await Assertions.Expect(page.GetByTestId("tour-next")).ToHaveCountAsync(0);
        await page.GetByTestId("tour-back").ClickAsync();
        await ExpectStepAsync(page, AdminSteps[^2]);

        await page.GetByTestId("tour-skip").ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator(".tour-highlight")).ToHaveCountAsync(0);

        await page.ReloadAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await page.GetByTestId("tour-checked").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(card).ToHaveCountAsync(0);

        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("take-tour").ClickAsync();
        await ExpectStepAsync(page, "Overview");
        await Assertions.Expect(page.GetByTestId("tour-progress")).ToHaveTextAsync($"Step 1 of {AdminSteps.Length}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AtPhoneWidth_TheCardFitsTheScreen_OnlyListsTheRolesAreas_AndItsButtonsAnswer()
    {
        var page = await fixture.NewPageAsync(width: 375, height: 740, tourSeen: false);
        await SignInAsync(page, "support@portal.local");
        var card = page.GetByTestId("tour-card");

        await Assertions.Expect(card).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("tour-progress")).ToHaveTextAsync("Step 1 of 3");
        var box = (await card.BoundingBoxAsync())!;
        Assert.True(box.X >= 0 && box.X + box.Width <= 375, $"The card spans x {box.X}–{box.X + box.Width} on a 375 px screen.");
        Assert.True(box.Y + box.Height <= 740, $"The card ends at y {box.Y + box.Height} on a 740 px screen.");
        await BrowserFixture.ScreenshotAsync(page, "tour-phone");

        await page.GetByTestId("tour-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tour-title")).ToHaveTextAsync("Audit");
        await page.GetByTestId("tour-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tour-title")).ToHaveTextAsync("Support");
        await page.GetByTestId("tour-done").ClickAsync();
        await Assertions.Expect(card).ToHaveCountAsync(0);
        Assert.Equal("1", await page.EvaluateAsync<string>("localStorage.getItem('portal.tour.seen')"));
        await page.Context.CloseAsync();
    }

    private static async Task SignInAsync(IPage page, string email)
    {
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync(email, PortalApp.Password);
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    /// <summary>The card names the area and the navigation outlines that area's entry, and only that one.</summary>
    private static async Task ExpectStepAsync(IPage page, string area)
    {
        await Assertions.Expect(page.GetByTestId("tour-card")).ToHaveAttributeAsync("data-step", area);
        var highlighted = page.Locator(".tour-highlight");
        await Assertions.Expect(highlighted).ToHaveCountAsync(1);
        await Assertions.Expect(highlighted).ToHaveAttributeAsync("data-area", area);
    }
}
