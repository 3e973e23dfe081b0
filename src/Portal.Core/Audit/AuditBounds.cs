namespace Portal.Core.Audit;

/// <summary>
/// The widest value each field of a record may hold: the columns of <c>AuditRecords</c> on both providers are
/// declared from these, and <see cref="Bounded"/> fits every entry to them before it is sealed, so no record is ever
/// refused by its column (a refused record would stall every appender behind it, or leave a change unaudited).
/// </summary>
public static class AuditBounds
{
    public const int ActorId = 100;
    public const int ActorName = 256;
    public const int ActorRoles = 200;
    public const int ActorIp = 64;
    public const int Action = 100;
    public const int ResourceType = 64;
    public const int ResourceId = 200;
    public const int Reason = 2000;
    public const int CorrelationId = 100;

    /// <summary>Details are stored without a column limit; this keeps one request from writing megabytes into a table nothing may delete from.</summary>
    public const int Details = 16_000;

    /// <summary>What a record holds where its caller gave no value (e.g. no resource id for a refused creation without a name).</summary>
    public const string Missing = "-";

    /// <summary>
    /// The entry with every required field present and every field within its bound. A value that is too long keeps
    /// its beginning and ends with a visible marker giving its original length, e.g. <c>aaaa…[truncated, 300 chars]</c>;
    /// details that are too long are replaced by a JSON object saying so (details must stay a JSON object).
    /// </summary>
    public static AuditEntry Bounded(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry with
        {
            ActorId = Fit(entry.ActorId, ActorId),
            ActorName = Fit(entry.ActorName, ActorName),
            ActorRoles = Fit(entry.ActorRoles, ActorRoles, missing: ""),
            ActorIp = Fit(entry.ActorIp, ActorIp, missing: ""),
            Action = Fit(entry.Action, Action),
            ResourceType = Fit(entry.ResourceType, ResourceType),
            ResourceId = Fit(entry.ResourceId, ResourceId),
            Reason = entry.Reason is null ? null : Fit(entry.Reason, Reason),
            Details = entry.Details is { Length: > Details } details
                ? $"{{\"truncated\":true,\"originalLength\":{details.Length}}}"
                : entry.Details,
            CorrelationId = Fit(entry.CorrelationId, CorrelationId, missing: ""),
        };
    }

    /// <summary>The marker that ends a value cut to its bound.</summary>
    public static string TruncationMarker(int originalLength) => $"…[truncated, {originalLength} chars]";

    /// <summary><paramref name="value"/> cut to at most <paramref name="max"/> UTF-16 units (the unit both providers count), with the marker.</summary>
    public static string Fit(string? value, int max, string missing = Missing)
    {
        if (string.IsNullOrEmpty(value))
        {
            return missing;
        }

        if (value.Length <= max)
        {
            return value;
        }

        var marker = TruncationMarker(value.Length);
        var keep = Math.Max(0, max - marker.Length);
        // Never split a surrogate pair: half a character is not text either provider stores faithfully.
        if (keep > 0 && char.IsHighSurrogate(value[keep - 1]))
        {
            keep--;
        }

        return value[..keep] + marker;
    }
}
