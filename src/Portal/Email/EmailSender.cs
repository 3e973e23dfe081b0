using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Portal.Email;

/// <summary>One message: the same words as plain text and as HTML.</summary>
public sealed record OutgoingEmail(string To, string Subject, string TextBody, string HtmlBody);

/// <summary>The message could not be handed to the SMTP server; the reason is fit to show to the person who asked.</summary>
public sealed class EmailNotSentException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Sends through the SMTP server of the "Email" section (or the development sink) with MailKit.</summary>
public sealed class EmailSender(IOptionsMonitor<EmailOptions> options, DevelopmentMailSink developmentSink, ILogger<EmailSender> logger)
{
    public async Task SendAsync(OutgoingEmail email, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        var (host, port, security, credentials) = developmentSink.SmtpPort is { } sinkPort
            ? ("127.0.0.1", sinkPort, EmailSecurity.None, false)
            : (settings.Host, settings.Port, settings.Security, !string.IsNullOrEmpty(settings.UserName));
        if (string.IsNullOrWhiteSpace(host))
        {
            throw new EmailNotSentException("Email is not configured on this portal (Email:Host), so no message can be sent.");
        }

        using var message = Compose(settings, email);
        using var client = new SmtpClient { Timeout = (int)TimeSpan.FromSeconds(settings.TimeoutSeconds).TotalMilliseconds };
        try
        {
            await client.ConnectAsync(host, port, Map(security), cancellationToken);
            if (credentials)
            {
                await client.AuthenticateAsync(settings.UserName!, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or AuthenticationException
                                       or SslHandshakeException or System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            logger.LogError(e, "Sending \"{Subject}\" through {Host}:{Port} failed", email.Subject, host, port);
            throw new EmailNotSentException($"The email could not be sent: the mail server at {host}:{port} refused or did not answer.", e);
        }
    }

    private static MimeMessage Compose(EmailOptions settings, OutgoingEmail email)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(settings.PortalName, settings.From));
        message.To.Add(MailboxAddress.Parse(email.To));
        message.Subject = email.Subject;
        message.Body = new BodyBuilder { TextBody = email.TextBody, HtmlBody = email.HtmlBody }.ToMessageBody();
        return message;
    }

    private static SecureSocketOptions Map(EmailSecurity security) => security switch
    {
        EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        EmailSecurity.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        EmailSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTls,
    };
}
