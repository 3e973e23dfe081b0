using Microsoft.Playwright;
using Portal.Browser.Tests.Pages;
using Portal.Browser.Tests.Support;
using Portal.Tests.Support;

namespace Portal.Browser.Tests;

[Collection(BrowserCollection.Name)]
public sealed class AuditTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Auditor_FiltersTheLog_AndSeesTheBeforeAndAfterOfARoleChange()
    {
        var adminPage = await fixture.NewPageAsync();
        var login = new LoginPage(adminPage);
        await login.OpenAsync();
        await login.SignInAsync("admin@demo.local", PortalApp.Password);
        var email = $"audited-{Guid.NewGuid():n}@demo.local";
        using (var adminClient = fixture.App.NewClient())
        {
            await adminClient.SignInAsync("admin@demo.local");
            var me = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(adminClient, "api/v1/me");
            var demo = me.GetProperty("tenants").EnumerateArray().First(t => t.GetProperty("name").GetString() == "Demo Inc.").GetProperty("id").GetGuid();
            var (person, _) = await fixture.App.InviteAndJoinAsync(adminClient, demo, email, "Developer", name: "Audited Person");
            person.Dispose();
        }

        var members = new MembersPage(adminPage);
        await members.OpenAsync();
        await Assertions.Expect(members.Row(email)).ToBeVisibleAsync();
        await members.DisableAsync(email);
        await adminPage.GetByText($"{email} updated.").WaitForAsync();

        var page = await fixture.NewPageAsync();
        var auditorLogin = new LoginPage(page);
        await auditorLogin.OpenAsync();
        await auditorLogin.SignInAsync("auditor@demo.local", PortalApp.Password);
        var audit = new AuditPage(page);
        await audit.OpenAsync();
        await audit.FilterByActionAsync("member.");

        await Assertions.Expect(audit.Rows.First).ToContainTextAsync("member.disabled");
        await audit.Rows.First.ClickAsync();
        await Assertions.Expect(audit.Details).ToContainTextAsync("\"before\"");
        await Assertions.Expect(audit.Details).ToContainTextAsync("\"disabled\": true");
        await BrowserFixture.ScreenshotAsync(page, "audit");

        await page.GetByTestId("audit-drawer").GetByLabel("Close").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-jsonl").ClickAsync());
        var text = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("{\"type\":\"header\"", text);
        Assert.Contains("member.disabled", text);
        await Assertions.Expect(page.GetByTestId("export-progress")).ToContainTextAsync("Exported");
        await Assertions.Expect(page.GetByTestId("evidence-package"))
            .ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex(@"^/api/v1/audit/evidence\?tenantId=[0-9a-f-]{36}&from=.+&to=.+"));
        await adminPage.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
