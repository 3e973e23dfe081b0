namespace Portal.Data.Entities;

public enum NotificationChannelType
{
    Email,
    Chat,
}

/// <summary>
/// Where a tenant's notices go besides its signed webhooks: email (listed addresses, or the tenant's admins at send
/// time) or a Slack-compatible incoming webhook, whose URL is the credential and is stored encrypted.
/// </summary>
public sealed class NotificationChannel : ITenantOwned
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public NotificationChannelType Type { get; set; }

    /// <summary>Email: the addresses, comma-separated; empty when <see cref="ToTenantAdmins"/>.</summary>
    public string? EmailTo { get; set; }

    public bool ToTenantAdmins { get; set; }

    /// <summary>Chat: the incoming-webhook URL, encrypted with Data Protection.</summary>
    public string? ProtectedUrl { get; set; }

    /// <summary>Chat: what the URL may be shown as (scheme, host and the last characters).</summary>
    public string? UrlHint { get; set; }

    /// <summary>The notice kinds it receives: their wire names, comma-separated.</summary>
    public required string Kinds { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>A tenant's quiet hours and digest; no row means every notice is sent at once.</summary>
public sealed class NotificationSettings
{
    public Guid TenantId { get; set; }

    /// <summary>An IANA time zone id (e.g. <c>Europe/Berlin</c>).</summary>
    public required string TimeZone { get; set; }

    /// <summary>Minutes after local midnight; null when there are no quiet hours.</summary>
    public int? QuietStartMinute { get; set; }
    public int? QuietEndMinute { get; set; }

    public bool DigestOnly { get; set; }
    public int DigestHour { get; set; }
    public bool IncidentsAlwaysSend { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
    public required string UpdatedBy { get; set; }
}

public enum NotificationDeliveryStatus
{
    Pending,
    Held,
    Retrying,
    Sent,
    Failed,
}

/// <summary>
/// One notice for one channel (a <see cref="NotificationChannel"/> or a signed webhook): the unique (channel, notice key)
/// is what makes a notice published twice, by two instances or a retry, go out once. It is also the delivery log.
/// </summary>
public sealed class NotificationDelivery : ITenantOwned
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ChannelId { get; set; }

    /// <summary><c>email</c>, <c>chat</c> or <c>webhook</c>.</summary>
    public required string ChannelType { get; set; }

    /// <summary>The notice kind's wire name, or <c>test</c>.</summary>
    public required string Kind { get; set; }

    public required string NoticeKey { get; set; }
    public required string Title { get; set; }
    public required string Text { get; set; }
    public string? Link { get; set; }

    /// <summary>The notice's machine-readable facts as JSON, for signed webhooks.</summary>
    public string? Data { get; set; }

    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public NotificationDeliveryStatus Status { get; set; }

    /// <summary>When a held notice goes out in the digest.</summary>
    public DateTimeOffset? ReleaseAt { get; set; }

    public int Attempts { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? SentAt { get; set; }

    /// <summary>Sent as part of a digest rather than on its own.</summary>
    public bool InDigest { get; set; }
}

/// <summary>The last verdict of one migration signal of one endpoint, so a change of verdict is told once.</summary>
public sealed class MigrationSignalState : ITenantOwned
{
    public Guid EndpointId { get; set; }

    /// <summary>The signal's kind (<c>tailDivergence</c>, <c>coldStarts</c>, <c>economics</c>, <c>requirements</c>).</summary>
    public required string Signal { get; set; }

    public Guid TenantId { get; set; }
    public required string State { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public DateTimeOffset EvaluatedAt { get; set; }
}
