using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The Logs panel of one replica on a deployment's page: live tail, search, download.</summary>
public sealed class ReplicaLogsPanel(IPage page)
{
    /// <summary>Opens the deployment's page and the Logs panel of its replica.</summary>
    public async Task OpenAsync(string deploymentId, string replicaId)
    {
        await page.GotoAsync($"endpoints/{deploymentId}");
        await new ShellPage(page).WaitUntilInteractiveAsync();
        await page.GetByTestId($"logs-{replicaId}").ClickAsync();
    }

    public ILocator Panel => page.GetByTestId("replica-logs");

    public ILocator Lines => page.GetByTestId("replica-log");

    public ILocator Download => page.GetByTestId("logs-download");

    public Task SearchAsync(string text) => Panel.GetByLabel("Search loaded lines").FillAsync(text);

    public Task CloseAsync() => page.GetByTestId("logs-close").ClickAsync();
}
