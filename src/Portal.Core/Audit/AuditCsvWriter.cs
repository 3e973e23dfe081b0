using System.Globalization;
using System.Text;

namespace Portal.Core.Audit;

/// <summary>
/// Writes records as CSV for reading in a spreadsheet (verification uses the JSON Lines export instead).
/// </summary>
/// <remarks>
/// RFC 4180: a header row, one row per record, CRLF line ends, a field quoted when it holds a comma, a quote, CR or
/// LF, quotes inside doubled. A text field that starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or CR gets a
/// leading <c>'</c> so that a spreadsheet shows it instead of evaluating it as a formula.
/// </remarks>
public static class AuditCsvWriter
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "sequence", "occurredAt", "tenantId", "actorId", "actorName", "actorRoles", "actorIp", "action",
        "resourceType", "resourceId", "outcome", "reason", "details", "correlationId", "previousHash", "hash",
    ];

    public static async Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(records);
        await writer.WriteAsync((string.Join(',', Columns) + "\r\n").AsMemory(), cancellationToken);
        long count = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Row(record).AsMemory(), cancellationToken);
            if (++count % AuditExportWriter.FlushInterval == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    internal static string Row(AuditRecord record)
    {
        string?[] fields =
        [
            record.Sequence.ToString(CultureInfo.InvariantCulture), AuditTime.Format(record.OccurredAt),
            record.TenantId?.ToString("D"), record.ActorId, record.ActorName, record.ActorRoles, record.ActorIp,
            record.Action, record.ResourceType, record.ResourceId, record.Outcome.ToString(), record.Reason,
            record.Details, record.CorrelationId, record.PreviousHash, record.Hash,
        ];
        var builder = new StringBuilder(512);
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            AppendField(builder, fields[i] ?? "");
        }

        return builder.Append("\r\n").ToString();
    }

    private static void AppendField(StringBuilder builder, string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            builder.Append(value);
            return;
        }

        builder.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
