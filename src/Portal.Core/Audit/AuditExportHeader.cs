namespace Portal.Core.Audit;

/// <summary>The first line of an export: what it holds and which key signed its checkpoints.</summary>
public sealed record AuditExportHeader
{
    public const string CurrentFormat = "portal-audit-export/v2";

    /// <summary>Exports made before signed manifests: checkpoints without a chain, an unsigned end line.</summary>
    public const string UnsignedFormat = "portal-audit-export/v1";

    public string Format { get; init; } = CurrentFormat;

    public required DateTimeOffset ExportedAt { get; init; }

    /// <summary>
    /// The filter that selected the records, as name/value pairs (written with names sorted ordinally); null for the
    /// whole chain. Only an unfiltered export is verified as one contiguous chain.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Filter { get; init; }

    /// <summary>The <see cref="AuditSigner.KeyId"/> of the key that signed the checkpoints.</summary>
    public string? PublicKeyId { get; init; }

    public bool IsWholeChain => Filter is null;

    /// <summary>Made before exports ended with a signed manifest.</summary>
    public bool IsUnsignedFormat => Format == UnsignedFormat;
}

/// <summary>A line of an export that is not what the portal writes; names the line and, when known, the record.</summary>
public sealed class AuditExportFormatException(string message, long lineNumber, long? sequence = null, Exception? innerException = null)
    : FormatException(message, innerException)
{
    public long LineNumber { get; } = lineNumber;

    /// <summary>The record on that line, or the last record before it.</summary>
    public long? Sequence { get; } = sequence;
}
