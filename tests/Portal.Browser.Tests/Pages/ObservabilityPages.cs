using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The TTFT page of one model: percentile cards and its three charts.</summary>
public sealed class TtftPage(IPage page)
{
    public Task OpenAsync(string model, string window = "1h") => page.GotoAsync($"observability?model={Uri.EscapeDataString(model)}&window={window}");

    public ILocator Percentiles => page.GetByTestId("ttft-percentiles");

    /// <summary>Histogram bars with a height: only buckets that hold requests are drawn taller than zero.</summary>
    public ILocator HistogramBars => page.GetByTestId("ttft-histogram").Locator("rect");

    public ILocator SeriesLines => page.GetByTestId("ttft-series").Locator("polyline");

    public ILocator SeriesDots => page.GetByTestId("ttft-series").Locator("circle");

    public ILocator Heatmap => page.GetByTestId("ttft-heatmap");

    public ILocator Tiers => page.GetByTestId("tier-table");
}

/// <summary>The migration page of one model: the recommendation and a card per signal.</summary>
public sealed class MigrationPage(IPage page)
{
    public Task OpenAsync(string model) => page.GotoAsync($"migration?model={Uri.EscapeDataString(model)}");

    public ILocator Recommendation => page.GetByTestId("recommendation");

    public ILocator Signal(string kind) => page.GetByTestId($"signal-{kind}");

    public ILocator DedicatedStatus => page.GetByTestId("dedicated-status");

    public ILocator Objective => page.GetByTestId("objective-slot");

    public ILocator TierCosts => page.GetByTestId("tier-costs");

    /// <summary>Ticks "custom or fine-tuned weights" in the stated requirements and saves them.</summary>
    public async Task StateCustomWeightsAsync()
    {
        await page.GetByLabel("Custom or fine-tuned weights").CheckAsync();
        await page.GetByTestId("req-save").ClickAsync();
    }
}
