using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Tests.Support;

namespace Portal.Tests.Foundation;

public sealed class TelemetryExportTests
{
    [Fact]
    public async Task OtlpEndpointInConfiguration_SwitchesExportOn_TracesAndLogsArrive()
    {
        var received = new ConcurrentBag<string>();
        var collectorBuilder = WebApplication.CreateSlimBuilder();
        collectorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = collectorBuilder.Build();
        collector.MapPost("/{**signal}", (HttpContext http) =>
        {
            received.Add(http.Request.Path);
            return Results.Ok();
        });
        await collector.StartAsync();
        var collectorUrl = collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var app = new PortalApp();
        app.With("OpenTelemetry:OtlpEndpoint", collectorUrl).With("OpenTelemetry:OtlpProtocol", "http/protobuf");
        await ((IAsyncLifetime)app).InitializeAsync();
        using var client = app.NewClient();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(received.Contains("/v1/traces") && received.Contains("/v1/logs")))
        {
            await client.GetAsync("account/login");
            await Task.Delay(500);
        }

        Assert.Contains("/v1/traces", received);
        Assert.Contains("/v1/logs", received);
        await ((IAsyncLifetime)app).DisposeAsync();
    }
}
