using System.Globalization;
using System.Text;

namespace Portal.Core.Latency;

/// <summary>
/// One measured request as the samples export carries it: timings, tokens and routing, never a prompt, completion or
/// body. <see cref="Tier"/> is the target kind (dedicated or serverless); <see cref="Traffic"/> says whether the
/// program got the answer (production) or it was a shadow copy.
/// </summary>
public sealed record SampleExportRow(
    DateTimeOffset Timestamp,
    Guid? EndpointId,
    string? Model,
    string Operation,
    Guid? TargetId,
    string? Tier,
    string? Region,
    string? ReplicaId,
    string Traffic,
    int StatusCode,
    string? ErrorCode,
    bool Streamed,
    double? TtftMs,
    double? ItlMeanMs,
    double? ItlP99Ms,
    double? TpotMs,
    double EndToEndMs,
    int? PromptTokens,
    int? CompletionTokens,
    bool ColdStart,
    bool Burst,
    int Attempts);

/// <summary>The window rule of the samples export: from before to, at most <see cref="MaxSpan"/> long.</summary>
public static class SampleExportWindow
{
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(31);

    /// <summary>The window asked for, to defaulting to now and from to a day before to; or the field at fault and why.</summary>
    public static (DateTimeOffset From, DateTimeOffset To, string? Field, string? Error) Resolve(DateTimeOffset? from, DateTimeOffset? to, DateTimeOffset now)
    {
        var end = to ?? now;
        var start = from ?? (end - DateTimeOffset.MinValue > TimeSpan.FromDays(1) ? end - TimeSpan.FromDays(1) : DateTimeOffset.MinValue);
        if (start >= end)
        {
            return (start, end, "from", "from must be before to.");
        }

        if (end - start > MaxSpan)
        {
            return (start, end, "to", $"The window may span at most {MaxSpan.TotalDays:0} days; export longer periods in parts.");
        }

        return (start, end, null, null);
    }
}

/// <summary>
/// Writes samples as CSV: RFC 4180 (header row, CRLF, quoting), invariant numbers, ISO 8601 UTC times, empty fields
/// for values not measured. Text fields that a spreadsheet would evaluate as formulas get a leading <c>'</c>.
/// </summary>
public static class SampleCsvWriter
{
    public const int FlushInterval = 500;

    public static readonly IReadOnlyList<string> Columns =
    [
        "timestamp", "endpointId", "model", "operation", "targetId", "tier", "region", "replicaId", "traffic", "statusCode",
        "errorCode", "streamed", "ttftMs", "itlMeanMs", "itlP99Ms", "tpotMs", "endToEndMs", "promptTokens", "completionTokens",
        "coldStart", "burst", "attempts",
    ];

    public static async Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<SampleExportRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        await writer.WriteAsync((string.Join(',', Columns) + "\r\n").AsMemory(), cancellationToken);
        long count = 0;
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            await writer.WriteAsync(Row(row).AsMemory(), cancellationToken);
            if (++count % FlushInterval == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    public static string Row(SampleExportRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        string?[] fields =
        [
            row.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
            row.EndpointId?.ToString("D"), row.Model, row.Operation, row.TargetId?.ToString("D"), row.Tier, row.Region, row.ReplicaId,
            row.Traffic, Number(row.StatusCode), row.ErrorCode, Bool(row.Streamed), Number(row.TtftMs), Number(row.ItlMeanMs),
            Number(row.ItlP99Ms), Number(row.TpotMs), Number(row.EndToEndMs), Number(row.PromptTokens), Number(row.CompletionTokens),
            Bool(row.ColdStart), Bool(row.Burst), Number(row.Attempts),
        ];
        var builder = new StringBuilder(256);
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

    private static string Bool(bool value) => value ? "true" : "false";

    private static string? Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture);

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    /// <summary>One field, quoted when needed and with a leading <c>'</c> where a spreadsheet would read a formula.</summary>
    public static void AppendField(StringBuilder builder, string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '@' or '\t' or '\r' || (value.Length > 0 && value[0] == '-' && !double.TryParse(value, CultureInfo.InvariantCulture, out _)))
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
