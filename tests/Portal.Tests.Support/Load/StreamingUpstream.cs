using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Support.Load;

/// <summary>
/// The smallest OpenAI-compatible streaming upstream, for load through the gateway: <c>POST /v1/chat/completions</c>
/// answers at once with <c>max_tokens</c> content chunks (default 16), <see cref="ChunkInterval"/> apart, then a usage
/// chunk when <c>stream_options.include_usage</c> asks for it, then <c>[DONE]</c>. A model whose name starts with
/// <see cref="FastModelPrefix"/> gets its chunks without any gap (closed-loop throughput). No engine is simulated, so
/// whatever time a request takes beyond the chunk gaps belongs to the path in front of it.
/// </summary>
public sealed class StreamingUpstream : IAsyncDisposable
{
    public const string FastModelPrefix = "fast";
    public const int DefaultChunks = 16;

    private static readonly byte[] _chunk = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");

    private static readonly byte[] _done = Encoding.UTF8.GetBytes("data: [DONE]\n\n");

    private readonly WebApplication _app;

    private StreamingUpstream(WebApplication app, Uri baseUri, TimeSpan chunkInterval)
    {
        _app = app;
        BaseUri = baseUri;
        ChunkInterval = chunkInterval;
    }

    /// <summary>The upstream's root, <c>http://127.0.0.1:port/</c>; the OpenAI API is under <c>v1/</c>.</summary>
    public Uri BaseUri { get; }

    public TimeSpan ChunkInterval { get; }

    /// <summary>
    /// Starts the upstream; <c>GET v1/models</c> lists <paramref name="models"/>, as a provider lists what it serves, so
    /// the portal's health probes of an endpoint on it find its model.
    /// </summary>
    public static async Task<StreamingUpstream> StartAsync(TimeSpan chunkInterval, params string[] models)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", (RequestDelegate)(context => StreamAsync(context, chunkInterval)));
        var listed = JsonSerializer.SerializeToUtf8Bytes(new { @object = "list", data = models.Select(m => new { id = m, @object = "model" }) });
        app.MapGet("/v1/models", (RequestDelegate)(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.Body.WriteAsync(listed).AsTask();
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StreamingUpstream(app, new Uri(address.TrimEnd('/') + "/"), chunkInterval);
    }

    private static async Task StreamAsync(HttpContext context, TimeSpan chunkInterval)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = request.RootElement;
        var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
        var chunks = root.TryGetProperty("max_tokens", out var t) && t.TryGetInt32(out var n) ? n : DefaultChunks;
        var usage = root.TryGetProperty("stream_options", out var o) && o.TryGetProperty("include_usage", out var u) && u.ValueKind == JsonValueKind.True;
        var gap = model.StartsWith(FastModelPrefix, StringComparison.Ordinal) ? TimeSpan.Zero : chunkInterval;

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        for (var i = 0; i < chunks; i++)
        {
            if (i > 0 && gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, context.RequestAborted);
            }

            await body.WriteAsync(_chunk, context.RequestAborted);
            await body.FlushAsync(context.RequestAborted);
        }

        if (usage)
        {
            await body.WriteAsync(Encoding.UTF8.GetBytes(
                $"data: {{\"id\":\"chatcmpl-load\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{{\"prompt_tokens\":8,\"completion_tokens\":{chunks},\"total_tokens\":{chunks + 8}}}}}\n\n"),
                context.RequestAborted);
        }

        await body.WriteAsync(_done, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
