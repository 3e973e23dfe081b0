using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Gateway.Tests.Support;

/// <summary>
/// An upstream that records what reached it (headers and body) and answers a fixed two-token completion, streamed when
/// asked (unless it never streams, like some providers), with a usage chunk only when <c>include_usage</c> reached it.
/// Stands in for an external serverless service.
/// </summary>
internal sealed class CaptureServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CaptureServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public const string NonStreamedAnswer =
        """{"id":"c1","object":"chat.completion","created":1,"model":"up","choices":[{"index":0,"message":{"role":"assistant","content":"Hello world"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""";

    public Uri BaseUri { get; }

    public ConcurrentQueue<(string? Authorization, string Body)> Received { get; } = new();

    /// <summary>Every request's headers, in arrival order.</summary>
    public ConcurrentQueue<Dictionary<string, string>> ReceivedHeaders { get; } = new();

    public static async Task<CaptureServer> StartAsync(bool neverStreams = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        CaptureServer? server = null;
        app.MapPost("/v1/chat/completions", async context =>
        {
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            server!.Received.Enqueue((context.Request.Headers.Authorization.ToString(), body));
            server.ReceivedHeaders.Enqueue(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
            var stream = !neverStreams && body.Contains("\"stream\":true", StringComparison.Ordinal);
            var usage = body.Contains("\"include_usage\":true", StringComparison.Ordinal);
            if (!stream)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(NonStreamedAnswer);
                return;
            }

            context.Response.ContentType = "text/event-stream";
            const string head = """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[{"index":0,"delta":""";
            await context.Response.WriteAsync(head + """{"role":"assistant","content":""},"finish_reason":null}]}""" + "\n\n");
            await context.Response.WriteAsync(head + """{"content":"Hello"},"finish_reason":null}]}""" + "\n\n");
            await context.Response.WriteAsync(head + """{"content":" world"},"finish_reason":null}]}""" + "\n\n");
            await context.Response.WriteAsync(head + """{},"finish_reason":"stop"}]}""" + "\n\n");
            if (usage)
            {
                await context.Response.WriteAsync(
                    """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"up","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""" + "\n\n");
            }

            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new CaptureServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
