using System.Net;
using Microsoft.AspNetCore.Builder;
using Portal.Hosting;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

/// <summary>
/// 5080 is only the default: <c>--urls</c> and <c>ASPNETCORE_URLS</c> choose where the portal listens, as in any
/// ASP.NET Core app.
/// </summary>
public sealed class ListenAddressTests
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    [Fact]
    public void DefaultListenAddress_WithTheShippedSettingsAndNoAddress_Is5080()
    {
        var builder = Builder();

        builder.UseDefaultListenAddress();

        Assert.Equal(ListenAddress.Default, builder.Configuration["urls"]);
    }

    [Fact]
    public void DefaultListenAddress_WithUrlsArgument_KeepsTheGivenAddress()
    {
        var builder = Builder("--urls", "http://127.0.0.1:6123");

        builder.UseDefaultListenAddress();

        Assert.Equal("http://127.0.0.1:6123", builder.Configuration["urls"]);
    }

    [Theory]
    [InlineData("--Kestrel:Endpoints:Http:Url=http://0.0.0.0:8080")]
    [InlineData("--http_ports=8080")]
    [InlineData("--https_ports=8443")]
    public void DefaultListenAddress_WithAnotherWayOfChoosingTheAddress_AddsNoUrls(string argument)
    {
        var builder = Builder(argument);

        builder.UseDefaultListenAddress();

        Assert.True(ListenAddress.IsConfigured(builder.Configuration));
        Assert.Null(builder.Configuration["urls"]);
    }

    [Fact]
    public async Task BuiltPortal_WithUrlsArgument_ListensThereAndNotOn5080()
    {
        var url = $"http://127.0.0.1:{PortalProcess.FreePort()}";
        await using var portal = PortalProcess.Start(["--urls", url]);

        await AssertListensOnlyAtAsync(portal, url);
    }

    [Fact]
    public async Task BuiltPortal_WithAspNetCoreUrlsVariable_ListensThereAndNotOn5080()
    {
        var url = $"http://127.0.0.1:{PortalProcess.FreePort()}";
        await using var portal = PortalProcess.Start([], new Dictionary<string, string> { ["ASPNETCORE_URLS"] = url });

        await AssertListensOnlyAtAsync(portal, url);
    }

    private static async Task AssertListensOnlyAtAsync(PortalProcess portal, string url)
    {
        var status = await portal.WaitUntilAnsweringAsync(new Uri($"{url}/health/live"), StartLimit);
        Assert.True(status == HttpStatusCode.OK, $"GET {url}/health/live answered {status?.ToString() ?? "nothing"}; {portal.Describe()}");

        // Kestrel names every address it bound before it reports the start.
        Assert.True(await portal.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), StartLimit), portal.Describe());
        Assert.Equal(new[] { url }, portal.ListeningOn);
        Assert.DoesNotContain(portal.ListeningOn, address => address.EndsWith(":5080", StringComparison.Ordinal));
    }

    /// <summary>The portal's builder on the appsettings.json copied beside the tests, with only the given arguments.</summary>
    private static WebApplicationBuilder Builder(params string[] args) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
}
