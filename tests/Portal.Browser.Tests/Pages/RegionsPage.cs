using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The Regions page: the organisation's residency policy editor and its summary.</summary>
public sealed class RegionsPage(IPage page)
{
    private ILocator PolicyEditor => page.GetByTestId("policy-editor");

    public ILocator PolicySummary => page.GetByTestId("policy-summary");

    public async Task OpenAsync()
    {
        await page.GotoAsync("regions");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await PolicyEditor.WaitForAsync();
    }

    /// <summary>Locks the organisation to whole jurisdictions (each button toggles every region of one) with a reason.</summary>
    public async Task SetPolicyAsync(string jurisdiction, string reason)
    {
        await PolicyEditor.GetByTestId($"jurisdiction-{jurisdiction}").ClickAsync();
        var field = PolicyEditor.GetByLabel("Reason for the change");
        await field.FillAsync(reason);
        await field.BlurAsync();
        await PolicyEditor.GetByTestId("lock-save").ClickAsync();
    }
}
