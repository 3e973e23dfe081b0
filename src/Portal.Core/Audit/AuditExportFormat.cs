using System.Text;

namespace Portal.Core.Audit;

/// <summary>
/// The JSON Lines export, shared by the portal's export and the offline verifier.
/// </summary>
/// <remarks>
/// <para>UTF-8, one JSON object per line, each line ending in <c>\n</c>, written with the same rules as
/// <see cref="AuditCanonicalJson"/> (fixed property order, no whitespace, explicit nulls). In this order:</para>
/// <list type="number">
/// <item>one header: <c>{"type":"header","format":"portal-audit-export/v2","exportedAt":"…Z","filter":null|{"name":"value",…},"publicKeyId":"…"|null}</c></item>
/// <item>the checkpoints, ascending: <c>{"type":"checkpoint","chain":"…","sequence":10,"hash":"…","signedAt":"…Z","keyId":"…","signature":"base64"}</c></item>
/// <item>the records, ascending: <c>{"type":"record",</c> + the canonical fields of the record (as hashed)
/// + <c>,"hash":"…"}</c></item>
/// <item>one signed manifest (<see cref="AuditExportManifest"/>): <c>{"type":"manifest","chain":"…","originSequence":L,
/// "originHash":"…","firstSequence":…,"lastSequence":…,"records":N,"lastHash":…,"filter":…,"from":…,"to":…,
/// "keyId":"…","exportedAt":"…Z","signature":"base64"}</c></item>
/// </list>
/// <para>Checkpoints come before the records, not after them: the verifier reads the file once, front to back,
/// already knowing the signed positions, and a file cut short still carries the checkpoints that prove records are
/// missing. The manifest tells a complete file from a cut one, signed, so that it cannot be edited to match.</para>
/// <para>Exports made before manifests (format <c>portal-audit-export/v1</c>) have checkpoints without a chain and
/// end with an unsigned <c>{"type":"end","records":N}</c>; they are still read.</para>
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
        Filter(builder, header.Filter);
        return builder.Property("publicKeyId", header.PublicKeyId).Append('}').ToString();
    }

    internal static string CheckpointLine(AuditCheckpoint checkpoint, bool withChain = true)
    {
        var builder = new StringBuilder(256).Append('{').Property("type", "checkpoint", first: true);
        if (withChain)
        {
            builder.Property("chain", checkpoint.Chain);
        }

        return CheckpointFields(builder, checkpoint);
    }

    private static string CheckpointFields(StringBuilder builder, AuditCheckpoint checkpoint) => builder
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

    internal static string ManifestLine(AuditExportManifest manifest) =>
        ManifestBuilder(manifest).Property("signature", manifest.Signature).Append('}').ToString();

    /// <summary>The manifest line without its signature: what is signed.</summary>
    internal static string ManifestBody(AuditExportManifest manifest) => ManifestBuilder(manifest).Append('}').ToString();

    private static StringBuilder ManifestBuilder(AuditExportManifest manifest)
    {
        var builder = new StringBuilder(512).Append('{')
            .Property("type", "manifest", first: true)
            .Property("chain", manifest.Chain)
            .Property("originSequence", manifest.Origin.Sequence)
            .Property("originHash", manifest.Origin.Hash)
            .NullableProperty("firstSequence", manifest.FirstSequence)
            .NullableProperty("lastSequence", manifest.LastSequence)
            .Property("records", manifest.RecordCount)
            .Property("lastHash", manifest.LastHash);
        Filter(builder.Name("filter"), manifest.Filter);
        return builder
            .Property("from", manifest.From is { } from ? AuditTime.Format(from) : null)
            .Property("to", manifest.To is { } to ? AuditTime.Format(to) : null)
            .Property("keyId", manifest.KeyId)
            .Property("exportedAt", AuditTime.Format(manifest.ExportedAt));
    }

    private static StringBuilder NullableProperty(this StringBuilder builder, string name, long? value) =>
        value is { } number ? builder.Property(name, number) : builder.Name(name).Append("null");

    private static void Filter(StringBuilder builder, IReadOnlyDictionary<string, string>? filter)
    {
        if (filter is null)
        {
            builder.Append("null");
            return;
        }

        builder.Append('{');
        var first = true;
        foreach (var (name, value) in filter.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            builder.Property(name, value, first);
            first = false;
        }

        builder.Append('}');
    }

    internal static string EndLine(long records) => new StringBuilder(40).Append('{')
        .Property("type", "end", first: true)
        .Property("records", records)
        .Append('}').ToString();
}
