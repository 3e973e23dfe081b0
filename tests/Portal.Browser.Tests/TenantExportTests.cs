using System.IO.Compression;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TenantExportTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Operator_DownloadsATenantsExport_FromItsPanel()
    {
        var page = await fixture.NewPageAsync();
        var login = new LoginPage(page);
        await login.OpenAsync();
        await login.SignInAsync("operator@portal.local", Portal.Tests.Support.PortalApp.Password);
        var tenants = new TenantsPage(page);
        await tenants.OpenAsync();
        await tenants.SelectAsync("Acme Research");

        var path = await tenants.ExportAsync();

        using var zip = ZipFile.OpenRead(path);
        Assert.Equal(["audit.jsonl", "configuration.json", "manifest.json", "samples.jsonl"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        using var manifest = new StreamReader(zip.GetEntry("manifest.json")!.Open());
        Assert.Contains("\"slug\": \"acme\"", await manifest.ReadToEndAsync());
        await page.Context.CloseAsync();
    }
}
