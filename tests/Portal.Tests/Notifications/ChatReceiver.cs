using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.Tests.Notifications;

/// <summary>
/// A loopback stand-in for a Slack-compatible incoming webhook: records each POSTed body, and answers 500 to the first
/// <c>failures</c> requests (all of them with <see cref="int.MaxValue"/>).
/// </summary>
internal sealed class ChatReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private ChatReceiver(WebApplication app, int failures)
    {
        _app = app;
        _failuresLeft = failures;
    }

    /// <summary>Bodies of the requests answered 200.</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    public int Requests => _requests;

    private int _requests;

    public Uri Url { get; private set; } = default!;

    public static async Task<ChatReceiver> StartAsync(int failures = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new ChatReceiver(app, failures);
        app.MapPost("/services/T000/B000/secret-part", async (HttpContext http) =>
        {
            Interlocked.Increment(ref receiver._requests);
            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Decrement(ref receiver._failuresLeft) >= 0)
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            receiver.Messages.Enqueue(body);
            return Results.Text("ok");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = new Uri(address + "/services/T000/B000/secret-part");
        return receiver;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
