using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>Usage & cost: the month's totals, the spend chart, the lines of a split, and the budgets.</summary>
public sealed class UsagePage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("/usage");
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public ILocator TotalUsd => page.GetByTestId("usage-total-usd");

    public ILocator Chart => page.GetByTestId("usage-chart");

    public ILocator Row(string label) => page.GetByTestId("usage-table").Locator("tr", new LocatorLocatorOptions { HasText = label });

    public ILocator Budgets => page.GetByTestId("budgets");

    /// <summary>Sets a budget for <paramref name="scope"/> (an endpoint's name) and saves.</summary>
    public async Task SetBudgetAsync(string scope, decimal monthlyUsd)
    {
        await new ShellPage(page).WaitUntilInteractiveAsync();
        var select = page.GetByTestId("budget-scope");
        await select.ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new PageLocatorOptions { HasText = scope }).ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open .mud-list-item")).ToHaveCountAsync(0);
        // The choice shows in the field (its input's value, or its text) before the rest of the form is filled.
        await Assertions.Expect(page.Locator($"[data-testid=budget-scope]:has(input[value='{scope}']), [data-testid=budget-scope]:has-text('{scope}'), " +
            $"div:has(> [data-testid=budget-scope]) input[value='{scope}']").First).ToBeAttachedAsync();
        await page.Locator("[data-testid=budget-amount] input, input[data-testid=budget-amount]")
            .FillAsync(monthlyUsd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("budget-save").ClickAsync();
    }
}
