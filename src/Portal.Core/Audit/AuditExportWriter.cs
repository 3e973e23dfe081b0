namespace Portal.Core.Audit;

/// <summary>Writes the JSON Lines export described in <see cref="AuditExportFormat"/>, streaming.</summary>
public static class AuditExportWriter
{
    /// <summary>Records between flushes, so a long export reaches the client steadily.</summary>
    public const int FlushInterval = 500;

    /// <summary>
    /// Writes header, checkpoints, records and end line. Checkpoints are sorted here; records must come in ascending
    /// sequence order (as the store reads them). Returns the number of records written.
    /// </summary>
    public static async Task<long> WriteAsync(
        TextWriter writer,
        AuditExportHeader header,
        IEnumerable<AuditCheckpoint> checkpoints,
        IAsyncEnumerable<AuditRecord> records,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(records);

        await WriteLineAsync(writer, AuditExportFormat.HeaderLine(header), cancellationToken);
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence))
        {
            await WriteLineAsync(writer, AuditExportFormat.CheckpointLine(checkpoint), cancellationToken);
        }

        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            await WriteLineAsync(writer, AuditExportFormat.RecordLine(record), cancellationToken);
            if (++count % FlushInterval == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await WriteLineAsync(writer, AuditExportFormat.EndLine(count), cancellationToken);
        await writer.FlushAsync(cancellationToken);
        return count;
    }

    private static Task WriteLineAsync(TextWriter writer, string line, CancellationToken cancellationToken) =>
        writer.WriteAsync((line + "\n").AsMemory(), cancellationToken);
}
