using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The Endpoints page's probe settings of a serverless endpoint: TTFT probe opt-in, its cost, the idle gap.</summary>
public sealed class EndpointProbesPanel(IPage page)
{
    /// <summary>Opens the Endpoints page and the panel of <paramref name="endpoint"/>'s row.</summary>
    public async Task OpenAsync(string endpoint)
    {
        await page.GotoAsync("endpoints");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await page.GetByTestId("serverless-endpoints").Locator("tr", new() { HasText = endpoint }).GetByTestId("show-probes").ClickAsync();
    }

    public ILocator Panel => page.GetByTestId("probe-settings");

    public ILocator Cost => page.GetByTestId("probe-cost");

    public ILocator IdleGap => page.GetByTestId("probe-idle-gap");

    public ILocator TtftSwitch => Panel.GetByText("Synthetic TTFT probes", new() { Exact = true });

    public async Task SaveAsync(bool turnTtftProbesOn, double idleGapSeconds)
    {
        if (turnTtftProbesOn)
        {
            await TtftSwitch.ClickAsync();
        }

        await Panel.GetByLabel("Idle gap (s), empty = learn it").FillAsync(idleGapSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("save-probes").ClickAsync();
    }
}
