using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The four-step deploy wizard, driven as a person would: choose, read the refusal, go on.</summary>
public sealed class DeployWizardPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("deploy");
        await page.GetByTestId("wizard-steps").WaitForAsync();
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public async Task ChooseModelAsync(string displayName)
    {
        await page.GetByTestId("model").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = displayName }).First.ClickAsync();
    }

    public async Task NameAsync(string name)
    {
        var field = page.GetByLabel("Name", new() { Exact = true });
        await field.FillAsync(name);
        await field.BlurAsync();
    }

    /// <summary>The replicas step's two counts, typed as a person would.</summary>
    public async Task ReplicasAsync(int baseline, int max)
    {
        foreach (var (label, value) in new[] { ("Baseline replicas (reserved, always warm)", baseline), ("Maximum replicas (with burst)", max) })
        {
            var field = page.GetByLabel(label);
            await field.FillAsync(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await field.BlurAsync();
        }
    }

    public ILocator Next => page.GetByTestId("next");

    public ILocator StepErrors => page.GetByTestId("step-errors");

    public ILocator FitSummary => page.GetByTestId("fit-summary");

    public ILocator GpuCount(int count) => page.GetByTestId($"gpus-{count}");

    public async Task NextAsync() => await Next.ClickAsync();

    public async Task BackAsync() => await page.GetByRole(AriaRole.Button, new() { Name = "Back" }).ClickAsync();

    /// <summary>A region in the region step's list, by its display name.</summary>
    public ILocator Region(string displayName) =>
        page.GetByTestId("regions").Locator(".mud-list-item", new() { HasText = displayName });

    public ILocator RegionLockNote => page.GetByTestId("region-lock-note");

    public ILocator Review => page.GetByTestId("review");

    public ILocator CommandLine => page.GetByTestId("command-line");

    public async Task DeployAsync() => await page.GetByTestId("deploy").ClickAsync();
}
