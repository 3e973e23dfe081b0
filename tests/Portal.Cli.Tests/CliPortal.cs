using Portal.Tests.Support;

namespace Portal.Cli.Tests;

/// <summary>
/// One real portal on loopback for a test class. The seeded automation client is a TenantAdmin here, so the same
/// client credentials can deploy (Developer's right) and export the audit log (TenantAdmin's).
/// </summary>
public sealed class CliPortal : IAsyncLifetime
{
    public PortalApp App { get; } = new PortalApp().With("Seed:Client:Role", "TenantAdmin");

    public string Url => App.BaseAddress.ToString();

    public Task InitializeAsync() => ((IAsyncLifetime)App).InitializeAsync();

    public Task DisposeAsync() => ((IAsyncLifetime)App).DisposeAsync();
}
