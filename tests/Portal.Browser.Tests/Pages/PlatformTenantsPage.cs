using Microsoft.Playwright;

namespace Portal.Browser.Tests.Pages;

/// <summary>The platform operator's Tenants page: create a tenant, and hand it over by inviting its first admin.</summary>
public sealed class PlatformTenantsPage(IPage page)
{
    public async Task OpenAsync()
    {
        await page.GotoAsync("platform/tenants");
        await new ShellPage(page).WaitUntilInteractiveAsync();
    }

    public ILocator Row(string name) => page.GetByTestId("platform-tenants-table").Locator("tr", new() { HasText = name });

    public async Task CreateAsync(string name, string slug)
    {
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Slug", new() { Exact = true }).FillAsync(slug);
        await page.GetByTestId("tenant-create").ClickAsync();
        await Row(name).WaitForAsync();
    }

    public ILocator InviteDialog => page.GetByTestId("invite-admin-dialog");

    public ILocator PendingInvitations => page.GetByTestId("invite-admin-pending");

    public async Task OpenInviteDialogAsync(string tenantName)
    {
        await Row(tenantName).GetByTestId("invite-admin").ClickAsync();
        await InviteDialog.WaitForAsync();
    }

    public async Task InviteAdminAsync(string email)
    {
        await page.GetByLabel("Email of the tenant's admin").FillAsync(email);
        await page.GetByTestId("invite-admin-send").ClickAsync();
    }

    public async Task CloseInviteDialogAsync()
    {
        await page.GetByTestId("invite-admin-close").ClickAsync();
        await Assertions.Expect(InviteDialog).ToBeHiddenAsync();
    }
}
