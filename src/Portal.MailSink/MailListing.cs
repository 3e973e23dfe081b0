using System.Net;
using System.Text;
using MimeKit;

namespace Portal.MailSink;

/// <summary>
/// The received mail over HTTP on loopback: a list, newest first, and each message's plain text (links included) or
/// its raw source. For a person reading Development mail; programs read the folder.
/// </summary>
public sealed class MailListing : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MailListing(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    public static async Task<MailListing> StartAsync(string folder, int port, CancellationToken stop)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/", () => Results.Content(ListPage(folder), "text/html; charset=utf-8"));
        app.MapGet("/messages/{name}", (string name) => Message(folder, name) is { } message
            ? Results.Content(MessagePage(name, message), "text/html; charset=utf-8")
            : Results.NotFound());
        app.MapGet("/messages/{name}/raw", (string name) => Path(folder, name) is { } path
            ? Results.File(path, "text/plain; charset=utf-8")
            : Results.NotFound());
        await app.StartAsync(stop);
        stop.Register(() => _ = app.StopAsync());
        return new MailListing(app, app.Urls.First() + "/");
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Only names the sink wrote, never a path out of the folder.</summary>
    private static string? Path(string folder, string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-') && File.Exists(System.IO.Path.Combine(folder, name + ".eml"))
            ? System.IO.Path.Combine(folder, name + ".eml")
            : null;

    private static MimeMessage? Message(string folder, string name) =>
        Path(folder, name) is { } path ? MimeMessage.Load(path) : null;

    private static string ListPage(string folder)
    {
        var html = new StringBuilder("<!doctype html><meta charset=\"utf-8\"><title>Mail</title><h1>Mail received</h1>");
        var files = Directory.EnumerateFiles(folder, "*.eml").OrderByDescending(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return html.Append("<p>No mail yet.</p>").ToString();
        }

        html.Append("<table><tr><th>Received (UTC)</th><th>To</th><th>Subject</th></tr>");
        foreach (var file in files)
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(file);
            var message = MimeMessage.Load(file);
            html.Append("<tr><td>").Append(Encode(File.GetLastWriteTimeUtc(file).ToString("yyyy-MM-dd HH:mm:ss")))
                .Append("</td><td>").Append(Encode(message.To.ToString()))
                .Append("</td><td><a href=\"/messages/").Append(name).Append("\">").Append(Encode(message.Subject ?? "(no subject)"))
                .Append("</a></td></tr>");
        }

        return html.Append("</table>").ToString();
    }

    private static string MessagePage(string name, MimeMessage message) =>
        new StringBuilder("<!doctype html><meta charset=\"utf-8\"><title>").Append(Encode(message.Subject ?? "Mail")).Append("</title>")
            .Append("<p><a href=\"/\">All mail</a> · <a href=\"/messages/").Append(name).Append("/raw\">Source</a></p>")
            .Append("<p>From: ").Append(Encode(message.From.ToString())).Append("<br>To: ").Append(Encode(message.To.ToString()))
            .Append("<br>Subject: ").Append(Encode(message.Subject ?? "")).Append("</p>")
            .Append("<pre>").Append(Encode(message.TextBody ?? "(no plain-text part)")).Append("</pre>")
            .ToString();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
