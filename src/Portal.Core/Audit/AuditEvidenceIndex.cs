using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Portal.Core.Audit;

/// <summary>One file of an evidence package and its SHA-256 (lower-case hex).</summary>
public sealed record AuditEvidenceFile(string Name, string Sha256, long Bytes)
{
    public static AuditEvidenceFile Of(string name, byte[] content) =>
        new(name, Convert.ToHexStringLower(SHA256.HashData(content)), content.LongLength);
}

/// <summary>
/// The signed index of an evidence package (<c>index.json</c>): whose package it is, the period, and every other
/// file's SHA-256 and size, signed with the audit key like an export manifest (over <c>portal-audit-evidence:v1\n</c> +
/// the index without its signature, written in a fixed form).
/// </summary>
public sealed record AuditEvidenceIndex
{
    public const string FileName = "index.json";
    public const string Format = "portal-audit-evidence/v1";

    public required Guid TenantId { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<AuditEvidenceFile> Files { get; init; }

    public string KeyId { get; init; } = "";

    public string Signature { get; init; } = "";

    public string SigningPayload() => "portal-audit-evidence:v1\n" + Body().Append('}').ToString();

    public AuditEvidenceIndex SignedBy(AuditSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var unsigned = this with { KeyId = signer.KeyId, Signature = "" };
        return unsigned with { Signature = signer.SignText(unsigned.SigningPayload()) };
    }

    /// <summary>The index as written into the package: one JSON object.</summary>
    public string ToJson() => Body().Property("signature", Signature).Append('}').ToString();

    /// <exception cref="FormatException">The text is not an evidence index.</exception>
    public static AuditEvidenceIndex Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != Format)
            {
                throw new FormatException($"Not a {Format} index.");
            }

            return new AuditEvidenceIndex
            {
                TenantId = Guid.ParseExact(root.GetProperty("tenantId").GetString()!, "D"),
                From = Time(root, "from"),
                To = Time(root, "to"),
                CreatedAt = Time(root, "createdAt"),
                KeyId = root.GetProperty("keyId").GetString() ?? "",
                Files = root.GetProperty("files").EnumerateArray().Select(f => new AuditEvidenceFile(
                    f.GetProperty("name").GetString()!, f.GetProperty("sha256").GetString()!, f.GetProperty("bytes").GetInt64())).ToList(),
                Signature = root.GetProperty("signature").GetString() ?? "",
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentNullException or FormatException)
        {
            throw new FormatException($"{FileName} is not an evidence index: {e.Message}", e);
        }
    }

    private StringBuilder Body()
    {
        var builder = new StringBuilder(1024).Append('{')
            .Property("format", Format, first: true)
            .Property("tenantId", TenantId.ToString("D"))
            .Property("from", AuditTime.Format(From))
            .Property("to", AuditTime.Format(To))
            .Property("createdAt", AuditTime.Format(CreatedAt))
            .Property("keyId", KeyId)
            .Name("files").Append('[');
        for (var i = 0; i < Files.Count; i++)
        {
            builder.Append(i == 0 ? "{" : ",{")
                .Property("name", Files[i].Name, first: true)
                .Property("sha256", Files[i].Sha256)
                .Property("bytes", Files[i].Bytes)
                .Append('}');
        }

        return builder.Append(']');
    }

    private static DateTimeOffset Time(JsonElement root, string name) =>
        AuditTime.TryParse(root.GetProperty(name).GetString(), out var value) ? value : throw new FormatException($"\"{name}\" is not a UTC time.");
}

/// <summary>The outcome of <see cref="AuditEvidenceVerifier.Verify"/>.</summary>
public sealed record AuditEvidenceVerification(bool IsValid, string Message, AuditEvidenceIndex? Index, AuditExportVerification? Audit);

/// <summary>
/// Verifies an evidence package offline with the audit public keys: the index's signature, every file against its
/// hash (none missing, none added), then the audit export inside it with its own manifest.
/// </summary>
public static class AuditEvidenceVerifier
{
    public const string AuditFile = "audit.jsonl";

    /// <param name="files">Every file of the package by name, as read from the zip.</param>
    public static AuditEvidenceVerification Verify(IReadOnlyDictionary<string, byte[]> files, AuditKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(keys);
        if (!files.TryGetValue(AuditEvidenceIndex.FileName, out var indexBytes))
        {
            return new(false, $"the package has no {AuditEvidenceIndex.FileName}: nothing vouches for its files", null, null);
        }

        AuditEvidenceIndex index;
        try
        {
            index = AuditEvidenceIndex.Parse(Encoding.UTF8.GetString(indexBytes));
        }
        catch (FormatException e)
        {
            return new(false, e.Message, null, null);
        }

        if (keys.Find(index.KeyId) is null)
        {
            return new(false, $"the index was signed with key {index.KeyId}, which is not among the audit keys ({keys.Describe()})", index, null);
        }

        if (!keys.VerifyText(index.KeyId, index.SigningPayload(), index.Signature))
        {
            return new(false, "the index was edited: its signature does not match the files, hashes, tenant or period it lists", index, null);
        }

        foreach (var listed in index.Files)
        {
            if (!files.TryGetValue(listed.Name, out var content))
            {
                return new(false, $"{listed.Name} is missing from the package", index, null);
            }

            if (AuditEvidenceFile.Of(listed.Name, content) != listed)
            {
                return new(false, $"{listed.Name} does not match its SHA-256 in the signed index: it was changed", index, null);
            }
        }

        if (files.Keys.FirstOrDefault(name => name != AuditEvidenceIndex.FileName && index.Files.All(f => f.Name != name)) is { } extra)
        {
            return new(false, $"{extra} is not listed in the signed index: it was added", index, null);
        }

        if (!files.TryGetValue(AuditFile, out var audit))
        {
            return new(false, $"the package holds no {AuditFile}", index, null);
        }

        var verification = AuditExportVerifier.Verify(new StringReader(Encoding.UTF8.GetString(audit)), keys);
        if (verification.Manifest is { } manifest && manifest.Chain != AuditChain.Of(index.TenantId))
        {
            return new(false, $"{AuditFile} is the chain of {manifest.Chain}, not of the package's tenant {index.TenantId}", index, verification);
        }

        return verification.IsValid
            ? new(true, $"{index.Files.Count} files match the signed index of tenant {index.TenantId} for {AuditTime.Format(index.From)} to {AuditTime.Format(index.To)}; {AuditFile}: {verification.Message}", index, verification)
            : new(false, $"{AuditFile}: {verification.Message}", index, verification);
    }
}
