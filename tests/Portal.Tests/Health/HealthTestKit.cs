using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Portal.Simulator;
using Portal.Simulator.Configuration;
using Portal.Tests.Support;

namespace Portal.Tests.Health;

internal static class HealthTestKit
{
    public static async Task<HttpClient> DeveloperAsync(PortalApp app)
    {
        var client = app.NewClient();
        await client.SignInAsync("dev@demo.local");
        return client;
    }

    public static Task<SimulatorServer> StartUpstreamAsync(int port = 0) =>
        SimulatorServer.StartAsync(SimulatorProfiles.Load(SimulatorProfiles.Serverless8B) with
        {
            Port = port, ServedModelName = "vendor-llama-8b", WeightLoadSeconds = 0, TimeScale = 0.01,
        });

    /// <summary>A serverless endpoint whose only target is <paramref name="upstream"/>; returns (endpoint id, target id).</summary>
    public static async Task<(string EndpointId, Guid TargetId)> ServerlessEndpointAsync(HttpClient client, string name, Uri upstream)
    {
        var response = await client.PostAsJsonAsync("api/v1/endpoints/serverless", new
        {
            name,
            target = new { baseUrl = new Uri(upstream, "v1/").ToString(), upstreamModel = "vendor-llama-8b", apiKey = "vendor-secret",
                region = "us-east", inputPricePerMillion = 0.2m, outputPricePerMillion = 0.6m },
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return (body.GetProperty("id").GetString()!, body.GetProperty("primary").GetProperty("id").GetGuid());
    }

    public static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, int seconds, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Waited {seconds} s for {what}.");
        return default!;
    }
}

/// <summary>A loopback receiver of webhook deliveries: what a tenant's alerting system would run.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Signature, string Body, DateTimeOffset ReceivedAt)> Deliveries { get; } = new();

    public Uri Url { get; private set; } = default!;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            receiver.Deliveries.Enqueue((http.Request.Headers["Portal-Signature"].ToString(), await reader.ReadToEndAsync(), DateTimeOffset.UtcNow));
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/hook");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
