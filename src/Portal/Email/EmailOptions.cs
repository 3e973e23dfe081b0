namespace Portal.Email;

/// <summary>How TLS is used on the connection to the SMTP server.</summary>
public enum EmailSecurity
{
    /// <summary>Upgrade with STARTTLS and refuse a server that does not offer it (port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>STARTTLS when the server offers it, plain text otherwise.</summary>
    StartTlsWhenAvailable,

    /// <summary>Plain text: only for a relay on the same host or a loopback sink.</summary>
    None,
}

/// <summary>The "Email" section: the SMTP server the portal sends through and what its messages say about it.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public EmailSecurity Security { get; set; } = EmailSecurity.StartTls;
    public string? UserName { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender address; the display name is <see cref="PortalName"/>.</summary>
    public string From { get; set; } = "portal@localhost";

    /// <summary>The name the portal signs its messages with.</summary>
    public string PortalName { get; set; } = "Portal";

    /// <summary>
    /// The address people reach the portal at (https://portal.example.com/), used for every link in a message. Empty =
    /// the portal's own listening address, which suits a single machine only. Never taken from a request's Host header,
    /// which whoever asks for a password reset could set.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public int TimeoutSeconds { get; set; } = 30;

    public DevelopmentSinkOptions DevelopmentSink { get; set; } = new();

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>Outside Production: a mail sink the portal starts as its own child process and sends everything to.</summary>
public sealed class DevelopmentSinkOptions
{
    public bool Enabled { get; set; }

    /// <summary>Where the .eml files go; relative to the portal's working directory.</summary>
    public string Folder { get; set; } = "data/mail";

    /// <summary>0 = any free port (the portal reads which).</summary>
    public int SmtpPort { get; set; }

    /// <summary>Where the received mail is listed for reading in a browser; 0 = any free port.</summary>
    public int HttpPort { get; set; } = 2580;
}
