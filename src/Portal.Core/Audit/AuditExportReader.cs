using System.Text.Json;

namespace Portal.Core.Audit;

/// <summary>
/// Reads the JSON Lines export described in <see cref="AuditExportFormat"/>: header and checkpoints on
/// <see cref="Open"/>, then the records one at a time, so a file of any size is read in constant memory.
/// </summary>
/// <remarks>Every malformed or non-canonical line raises <see cref="AuditExportFormatException"/>.</remarks>
public sealed class AuditExportReader
{
    private readonly TextReader _reader;
    private string? _pendingLine;
    private long _lineNumber;
    private bool _recordsRead;

    private AuditExportReader(TextReader reader, AuditExportHeader header)
    {
        _reader = reader;
        Header = header;
    }

    public AuditExportHeader Header { get; }

    public IReadOnlyList<AuditCheckpoint> Checkpoints { get; private set; } = [];

    /// <summary>Records read so far by <see cref="ReadRecords"/>.</summary>
    public long RecordCount { get; private set; }

    /// <summary>
    /// The count the end line declares (unsigned format only), once <see cref="ReadRecords"/> has reached it; null
    /// while reading or when the file ends without one (a truncated file).
    /// </summary>
    public long? DeclaredRecordCount { get; private set; }

    /// <summary>
    /// The signed manifest, once <see cref="ReadRecords"/> has reached it; null while reading or when the file ends
    /// without one (cut short, or the manifest removed). Its signature is not checked here.
    /// </summary>
    public AuditExportManifest? Manifest { get; private set; }

    /// <exception cref="AuditExportFormatException">The header or a checkpoint line is not as written by the portal.</exception>
    public static AuditExportReader Open(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var headerLine = reader.ReadLine() ?? throw new AuditExportFormatException("The file is empty: line 1 should be the export header.", 1);
        var header = Parse(headerLine, 1, null, "header", ParseHeader);
        if (header.Format is not (AuditExportHeader.CurrentFormat or AuditExportHeader.UnsignedFormat))
        {
            throw new AuditExportFormatException($"Line 1: unknown export format \"{header.Format}\"; expected {AuditExportHeader.CurrentFormat}.", 1);
        }

        Canonical(headerLine, AuditExportFormat.HeaderLine(header), 1, null, "the header");
        var export = new AuditExportReader(reader, header) { _lineNumber = 1 };
        export.ReadCheckpoints();
        return export;
    }

    /// <summary>The records, in file order, read lazily. Can be enumerated once.</summary>
    /// <exception cref="AuditExportFormatException">A line is not as written by the portal.</exception>
    public IEnumerable<AuditRecord> ReadRecords()
    {
        if (_recordsRead)
        {
            throw new InvalidOperationException("The records of an export can be read once.");
        }

        _recordsRead = true;
        return Records();
    }

    private IEnumerable<AuditRecord> Records()
    {
        long? lastSequence = null;
        while (NextLine() is { } line)
        {
            var type = TypeOf(line, lastSequence);
            if (type == "manifest" && !Header.IsUnsignedFormat)
            {
                var manifest = Parse(line, _lineNumber, lastSequence, "manifest", ParseManifest);
                Canonical(line, AuditExportFormat.ManifestLine(manifest), _lineNumber, lastSequence, "the manifest");
                if (NextLine() is not null)
                {
                    throw new AuditExportFormatException($"Line {_lineNumber}: text after the manifest.", _lineNumber, lastSequence);
                }

                Manifest = manifest;
                yield break;
            }

            if (type == "end" && Header.IsUnsignedFormat)
            {
                var count = Parse(line, _lineNumber, lastSequence, "end line", root => root.GetProperty("records").GetInt64());
                Canonical(line, AuditExportFormat.EndLine(count), _lineNumber, lastSequence, "the end line");
                if (NextLine() is not null)
                {
                    throw new AuditExportFormatException($"Line {_lineNumber}: text after the end line.", _lineNumber, lastSequence);
                }

                DeclaredRecordCount = count;
                yield break;
            }

            if (type != "record")
            {
                throw new AuditExportFormatException(
                    $"Line {_lineNumber}{After(lastSequence)}: a \"{type}\" line where a record was expected.", _lineNumber, lastSequence);
            }

            var record = Parse(line, _lineNumber, lastSequence, "record", ParseRecord);
            Canonical(line, AuditExportFormat.RecordLine(record), _lineNumber, record.Sequence, $"record #{record.Sequence}");
            lastSequence = record.Sequence;
            RecordCount++;
            yield return record;
        }
    }

    private void ReadCheckpoints()
    {
        var checkpoints = new List<AuditCheckpoint>();
        while (NextLine() is { } line)
        {
            if (TypeOf(line, null) != "checkpoint")
            {
                _pendingLine = line;
                _lineNumber--;
                break;
            }

            var unsigned = Header.IsUnsignedFormat;
            var checkpoint = Parse(line, _lineNumber, null, "checkpoint", root => ParseCheckpoint(root, unsigned));
            Canonical(line, AuditExportFormat.CheckpointLine(checkpoint, withChain: !unsigned), _lineNumber, checkpoint.Sequence,
                $"the checkpoint for #{checkpoint.Sequence}");
            checkpoints.Add(checkpoint);
        }

        Checkpoints = checkpoints;
    }

    private string? NextLine()
    {
        var line = _pendingLine ?? _reader.ReadLine();
        _pendingLine = null;
        if (line is not null)
        {
            _lineNumber++;
        }

        return line;
    }

    private string TypeOf(string line, long? lastSequence) =>
        Parse(line, _lineNumber, lastSequence, "line", root => root.GetProperty("type").GetString()
            ?? throw new InvalidOperationException("The type is null."));

    private static T Parse<T>(string line, long lineNumber, long? lastSequence, string what, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or OverflowException)
        {
            throw new AuditExportFormatException(
                $"Line {lineNumber}{After(lastSequence)}: not a valid {what} ({e.Message})", lineNumber, lastSequence, e);
        }
    }

    private static void Canonical(string line, string rewritten, long lineNumber, long? sequence, string what)
    {
        if (!string.Equals(line, rewritten, StringComparison.Ordinal))
        {
            throw new AuditExportFormatException(
                $"Line {lineNumber}: {what} is not in the form the portal writes; the line was edited.", lineNumber, sequence);
        }
    }

    private static string After(long? sequence) => sequence is { } s ? $" (after record #{s})" : "";

    private static AuditExportHeader ParseHeader(JsonElement root)
    {
        var filter = root.GetProperty("filter");
        return new AuditExportHeader
        {
            Format = RequiredString(root, "format"),
            ExportedAt = Time(root, "exportedAt"),
            Filter = filter.ValueKind == JsonValueKind.Null
                ? null
                : filter.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new FormatException("A filter value is null.")),
            PublicKeyId = root.GetProperty("publicKeyId").GetString(),
        };
    }

    private static AuditCheckpoint ParseCheckpoint(JsonElement root, bool unsignedFormat) => new()
    {
        Chain = unsignedFormat ? AuditChain.Legacy : RequiredString(root, "chain"),
        Sequence = root.GetProperty("sequence").GetInt64(),
        Hash = RequiredString(root, "hash"),
        SignedAt = Time(root, "signedAt"),
        KeyId = RequiredString(root, "keyId"),
        Signature = RequiredString(root, "signature"),
    };

    private static AuditExportManifest ParseManifest(JsonElement root)
    {
        var filter = root.GetProperty("filter");
        return new AuditExportManifest
        {
            Chain = RequiredString(root, "chain"),
            Origin = new AuditChainHead(root.GetProperty("originSequence").GetInt64(), RequiredString(root, "originHash")),
            FirstSequence = NullableLong(root, "firstSequence"),
            LastSequence = NullableLong(root, "lastSequence"),
            RecordCount = root.GetProperty("records").GetInt64(),
            LastHash = root.GetProperty("lastHash").GetString(),
            Filter = filter.ValueKind == JsonValueKind.Null
                ? null
                : filter.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new FormatException("A filter value is null.")),
            From = root.GetProperty("from").ValueKind == JsonValueKind.Null ? null : Time(root, "from"),
            To = root.GetProperty("to").ValueKind == JsonValueKind.Null ? null : Time(root, "to"),
            KeyId = RequiredString(root, "keyId"),
            ExportedAt = Time(root, "exportedAt"),
            Signature = RequiredString(root, "signature"),
        };
    }

    private static long? NullableLong(JsonElement root, string name) =>
        root.GetProperty(name).ValueKind == JsonValueKind.Null ? null : root.GetProperty(name).GetInt64();

    private static AuditRecord ParseRecord(JsonElement root) => new()
    {
        Sequence = root.GetProperty("sequence").GetInt64(),
        OccurredAt = Time(root, "occurredAt"),
        TenantId = root.GetProperty("tenantId").GetString() is { } tenant ? Guid.ParseExact(tenant, "D") : null,
        Chain = AuditChain.Of(root.GetProperty("tenantId").GetString() is { } chainTenant ? Guid.ParseExact(chainTenant, "D") : null),
        ActorId = RequiredString(root, "actorId"),
        ActorName = RequiredString(root, "actorName"),
        ActorRoles = RequiredString(root, "actorRoles"),
        ActorIp = RequiredString(root, "actorIp"),
        Action = RequiredString(root, "action"),
        ResourceType = RequiredString(root, "resourceType"),
        ResourceId = RequiredString(root, "resourceId"),
        Outcome = Enum.TryParse<AuditOutcome>(RequiredString(root, "outcome"), out var outcome) && Enum.IsDefined(outcome)
            ? outcome
            : throw new FormatException("The outcome is not Success, Failure or Denied."),
        Reason = root.GetProperty("reason").GetString(),
        Details = root.GetProperty("details").GetString(),
        CorrelationId = RequiredString(root, "correlationId"),
        PreviousHash = RequiredString(root, "previousHash"),
        Hash = RequiredString(root, "hash"),
    };

    private static string RequiredString(JsonElement root, string name) =>
        root.GetProperty(name).GetString() ?? throw new FormatException($"\"{name}\" is null.");

    private static DateTimeOffset Time(JsonElement root, string name) =>
        AuditTime.TryParse(RequiredString(root, name), out var value)
            ? value
            : throw new FormatException($"\"{name}\" is not a UTC time such as 2025-06-01T09:30:00.123Z.");
}
