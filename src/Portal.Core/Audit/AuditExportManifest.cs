namespace Portal.Core.Audit;

/// <summary>
/// The signed last line of an export: which chain it is, where that chain starts, which records it holds (first and
/// last sequence, count, last hash), how they were selected (filter, time range), which key signed it and when.
/// With it an offline verifier can prove an export complete — or say precisely why it cannot.
/// </summary>
/// <remarks>
/// The signature is base64 of an ECDSA P-256 / SHA-256 DER signature (as for checkpoints) over the UTF-8 bytes of
/// <see cref="SigningPayload"/>: <c>portal-audit-manifest:v1</c>, a <c>\n</c>, and the manifest line without its
/// <c>signature</c> property.
/// </remarks>
public sealed record AuditExportManifest
{
    /// <summary>The chain the records belong to (<see cref="AuditChain"/>): the tenant's or the platform's.</summary>
    public required string Chain { get; init; }

    /// <summary>
    /// Where the chain starts: the frozen legacy segment's head, or the genesis position — or, once the retention
    /// archive has taken the chain's oldest records, the last archived record (the archive boundary). Records numbered
    /// up to it are the tenant's records of the legacy segment; the chain's own records follow it without a gap.
    /// </summary>
    public required AuditChainHead Origin { get; init; }

    public long? FirstSequence { get; init; }

    public long? LastSequence { get; init; }

    public required long RecordCount { get; init; }

    public string? LastHash { get; init; }

    /// <summary>
    /// Every condition that selected the records (written with names sorted ordinally), the time range included as
    /// <c>from</c>/<c>to</c>; null for the whole chain.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Filter { get; init; }

    /// <summary>The first moment included (records at or after it); null: from the start.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>The end of the range (records before it); null: up to the export.</summary>
    public DateTimeOffset? To { get; init; }

    public required string KeyId { get; init; }

    public required DateTimeOffset ExportedAt { get; init; }

    public string Signature { get; init; } = "";

    /// <summary>
    /// Selected by something other than time (action, actor, outcome…): the records are not contiguous and
    /// completeness cannot be claimed.
    /// </summary>
    public bool IsFiltered => Filter?.Keys.Any(name => name is not ("from" or "to")) ?? false;

    /// <summary>The whole chain, from its start to the export.</summary>
    public bool IsWholeChain => !IsFiltered && From is null && To is null;

    /// <summary>The text that is signed.</summary>
    public string SigningPayload() => "portal-audit-manifest:v1\n" + AuditExportFormat.ManifestBody(this);

    /// <summary>This manifest, signed by <paramref name="signer"/> (its key id set to the signer's).</summary>
    public AuditExportManifest SignedBy(AuditSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var unsigned = this with { KeyId = signer.KeyId, Signature = "" };
        return unsigned with { Signature = signer.SignText(unsigned.SigningPayload()) };
    }
}
