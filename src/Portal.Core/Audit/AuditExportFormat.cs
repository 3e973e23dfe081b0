using System.Text;

namespace Portal.Core.Audit;

/// <summary>
/// The JSON Lines export, shared by the portal's export and the offline verifier.
/// </summary>
/// <remarks>
/// <para>UTF-8, one JSON object per line, each line ending in <c>\n</c>, written with the same rules as
/// <see cref="AuditCanonicalJson"/> (fixed property order, no whitespace, explicit nulls). In this order:</para>
/// <list type="number">
/// <item>one header: <c>{"type":"header","format":"portal-audit-export/v1","exportedAt":"…Z","filter":null|{"name":"value",…},"publicKeyId":"…"|null}</c></item>
/// <item>the checkpoints, ascending: <c>{"type":"checkpoint","sequence":10,"hash":"…","signedAt":"…Z","keyId":"…","signature":"base64"}</c></item>
/// <item>the records, ascending: <c>{"type":"record",</c> + the canonical fields of the record (as hashed)
/// + <c>,"hash":"…"}</c></item>
/// <item>one end line: <c>{"type":"end","records":N}</c></item>
/// </list>
/// <para>Checkpoints come before the records, not after them: the verifier reads the file once, front to back,
/// already knowing the signed positions, and a file cut short still carries the checkpoints that prove records are
/// missing. The end line tells a complete file from a truncated download.</para>
/// <para>The reader accepts a line only if writing back what it parsed gives the same text, so an edited byte is
/// refused even where it would not change a value.</para>
/// </remarks>
public static class AuditExportFormat
{
    internal static string HeaderLine(AuditExportHeader header)
    {
        var builder = new StringBuilder(256).Append('{')
            .Property("type", "header", first: true)
            .Property("format", header.Format)
            .Property("exportedAt", AuditTime.Format(header.ExportedAt))
            .Name("filter");
        if (header.Filter is null)
        {
            builder.Append("null");
        }
        else
        {
            builder.Append('{');
            var first = true;
            foreach (var (name, value) in header.Filter.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                builder.Property(name, value, first);
                first = false;
            }

            builder.Append('}');
        }

        return builder.Property("publicKeyId", header.PublicKeyId).Append('}').ToString();
    }

    internal static string CheckpointLine(AuditCheckpoint checkpoint) => new StringBuilder(256).Append('{')
        .Property("type", "checkpoint", first: true)
        .Property("sequence", checkpoint.Sequence)
        .Property("hash", checkpoint.Hash)
        .Property("signedAt", AuditTime.Format(checkpoint.SignedAt))
        .Property("keyId", checkpoint.KeyId)
        .Property("signature", checkpoint.Signature)
        .Append('}').ToString();

    internal static string RecordLine(AuditRecord record)
    {
        var builder = new StringBuilder(640).Append('{').Property("type", "record", first: true);
        return AuditCanonicalJson.WriteFields(builder, record, first: false)
            .Property("hash", record.Hash)
            .Append('}').ToString();
    }

    internal static string EndLine(long records) => new StringBuilder(40).Append('{')
        .Property("type", "end", first: true)
        .Property("records", records)
        .Append('}').ToString();
}
