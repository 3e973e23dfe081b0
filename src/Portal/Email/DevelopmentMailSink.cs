using Microsoft.Extensions.Options;

namespace Portal.Email;

/// <summary>
/// Outside Production, with <c>Email:DevelopmentSink:Enabled</c>: starts the mail sink beside the portal, sends all mail
/// to it and logs where to read it. Nothing leaves the machine.
/// </summary>
public sealed class DevelopmentMailSink(IOptions<EmailOptions> options, ILogger<DevelopmentMailSink> logger) : IHostedService, IAsyncDisposable
{
    private MailSinkProcess? _sink;

    /// <summary>The sink's SMTP port once it runs; the sender then uses it instead of <c>Email:Host</c>.</summary>
    public int? SmtpPort => _sink?.SmtpPort;

    /// <summary>Where the received mail is listed for reading in a browser, once the sink runs; the sign-in page links to it.</summary>
    public string? Listing => _sink?.Listing;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var sink = options.Value.DevelopmentSink;
        try
        {
            _sink = await MailSinkProcess.StartAsync(sink.Folder, sink.SmtpPort, sink.HttpPort, cancellationToken);
            logger.LogInformation("Mail is not sent anywhere in Development: read it at {Listing} (files in {Folder}, SMTP on 127.0.0.1:{Port})",
                _sink.Listing, _sink.Folder, _sink.SmtpPort);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or OperationCanceledException)
        {
            logger.LogWarning("The development mail sink did not start, so no mail can be sent: {Reason}", e.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (_sink is { } sink)
        {
            _sink = null;
            await sink.DisposeAsync();
        }
    }
}
