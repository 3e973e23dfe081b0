namespace Portal.Core.Audit;

/// <summary>Writes the JSON Lines export described in <see cref="AuditExportFormat"/>, streaming.</summary>
public static class AuditExportWriter
{
    /// <summary>Records between flushes, so a long export reaches the client steadily.</summary>
    public const int FlushInterval = 500;

    /// <summary>
    /// Writes header, checkpoints, records and the signed manifest. Checkpoints are sorted here; records must come in
    /// ascending sequence order (as the store reads them). <paramref name="manifest"/> says what was selected (chain,
    /// origin, filter, time range, export time); the writer fills in what it wrote and signs it with
    /// <paramref name="signer"/>. Returns the signed manifest.
    /// </summary>
    public static async Task<AuditExportManifest> WriteAsync(
        TextWriter writer,
        AuditExportHeader header,
        IEnumerable<AuditCheckpoint> checkpoints,
        IAsyncEnumerable<AuditRecord> records,
        AuditExportManifest manifest,
        AuditSigner signer,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(signer);

        await WriteLineAsync(writer, AuditExportFormat.HeaderLine(header with { Format = AuditExportHeader.CurrentFormat }), cancellationToken);
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence))
        {
            await WriteLineAsync(writer, AuditExportFormat.CheckpointLine(checkpoint), cancellationToken);
        }

        long count = 0;
        AuditRecord? first = null, last = null;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            await WriteLineAsync(writer, AuditExportFormat.RecordLine(record), cancellationToken);
            first ??= record;
            last = record;
            if (++count % FlushInterval == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        var signed = (manifest with
        {
            FirstSequence = first?.Sequence,
            LastSequence = last?.Sequence,
            RecordCount = count,
            LastHash = last?.Hash,
        }).SignedBy(signer);
        await WriteLineAsync(writer, AuditExportFormat.ManifestLine(signed), cancellationToken);
        await writer.FlushAsync(cancellationToken);
        return signed;
    }

    private static Task WriteLineAsync(TextWriter writer, string line, CancellationToken cancellationToken) =>
        writer.WriteAsync((line + "\n").AsMemory(), cancellationToken);
}
