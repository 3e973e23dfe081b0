namespace Portal.Core.Audit;

/// <summary>How far an export's verification could vouch for it.</summary>
public enum AuditExportCoverage
{
    /// <summary>The whole chain, from its start to the export: nothing was left out.</summary>
    WholeChain,

    /// <summary>A time range of the chain: contiguous from its first record to its last.</summary>
    TimeRange,

    /// <summary>Selected by action, actor…: each record is genuine, but completeness cannot be claimed.</summary>
    Filtered,

    /// <summary>An export made before signed manifests: its records and checkpoints verify, its completeness cannot.</summary>
    Unsigned,
}

/// <summary>The outcome of <see cref="AuditExportVerifier.Verify"/>.</summary>
public sealed record AuditExportVerification
{
    public required bool IsValid { get; init; }

    public AuditProblem? Problem { get; init; }

    /// <summary>The lowest sequence number that cannot be trusted, when a record is to blame.</summary>
    public long? FirstBadSequence { get; init; }

    /// <summary>One sentence for a person: what was verified, or the first thing wrong and where.</summary>
    public required string Message { get; init; }

    public AuditExportManifest? Manifest { get; init; }

    public AuditExportCoverage? Coverage { get; init; }

    public long RecordCount { get; init; }

    public int CheckpointsVerified { get; init; }
}

/// <summary>
/// Verifies an export offline, with nothing but the file and the audit public keys: the signed manifest (present,
/// unedited, signed by a known key), every record against its hash and its chain, the links from the chain's origin
/// to the manifest's last record, the checkpoints, and that the header does not present a filtered export as
/// complete.
/// </summary>
/// <remarks>
/// Records numbered up to the manifest's origin belong to the frozen legacy segment: they are checked against their
/// own hashes, linked where consecutive, and against the legacy checkpoints. The records after the origin are the
/// tenant's (or the platform's) own chain and must follow it without a gap.
/// </remarks>
public static class AuditExportVerifier
{
    /// <exception cref="System.Text.DecoderFallbackException">The text is not valid UTF-8 (when read so).</exception>
    public static AuditExportVerification Verify(TextReader text, AuditKeyRing keys)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keys);
        AuditExportReader export;
        List<AuditRecord> records;
        try
        {
            export = AuditExportReader.Open(text);
            records = export.ReadRecords().ToList();
        }
        catch (AuditExportFormatException e)
        {
            return Failed(AuditProblem.FormatError, e.Sequence, e.Message);
        }

        return export.Header.IsUnsignedFormat ? VerifyUnsigned(export, records, keys) : VerifySigned(export, records, keys);
    }

    private static AuditExportVerification VerifySigned(AuditExportReader export, List<AuditRecord> records, AuditKeyRing keys)
    {
        var after = records.Count > 0 ? $"after record #{records[^1].Sequence}" : "after the checkpoints";
        if (export.Manifest is not { } manifest)
        {
            return Failed(AuditProblem.ManifestMissing, records.Count > 0 ? records[^1].Sequence + 1 : null,
                $"the signed manifest is missing: the file ends {after}, so it was cut short or its manifest removed");
        }

        if (keys.Find(manifest.KeyId) is null)
        {
            return Failed(AuditProblem.ManifestUnknownKey, null,
                $"the manifest was signed with key {manifest.KeyId}, which is not among the audit keys ({keys.Describe()})", manifest);
        }

        if (!keys.VerifyText(manifest.KeyId, manifest.SigningPayload(), manifest.Signature))
        {
            return Failed(AuditProblem.ManifestInvalid, null,
                "the manifest was edited: its signature does not match its content (chain, sequences, count, last hash, filter or time)", manifest);
        }

        var headerFilter = export.Header.Filter?.Where(p => p.Key != "scope").ToDictionary(p => p.Key, p => p.Value);
        if (!SameFilter(headerFilter is { Count: > 0 } ? headerFilter : null, manifest.Filter))
        {
            return Failed(AuditProblem.FilterMisrepresented, null, manifest.IsWholeChain
                ? "the header claims a filter the signed manifest does not have"
                : $"the export was selected by {Describe(manifest.Filter)} (signed in its manifest), but its header presents it as {(headerFilter is { Count: > 0 } ? Describe(headerFilter) : "the complete chain")}",
                manifest);
        }

        if (export.Checkpoints.FirstOrDefault(c => c.Chain != manifest.Chain && c.Chain != AuditChain.Legacy) is { } foreignCheckpoint)
        {
            return Failed(AuditProblem.ForeignRecord, foreignCheckpoint.Sequence,
                $"the checkpoint for #{foreignCheckpoint.Sequence} belongs to the chain of {foreignCheckpoint.Chain}, not to {manifest.Chain}", manifest);
        }

        var origin = manifest.Origin;
        var legacy = records.Where(r => r.Sequence <= origin.Sequence).ToList();
        var own = records.Where(r => r.Sequence > origin.Sequence).ToList();
        if (records.Take(legacy.Count).Any(r => r.Sequence > origin.Sequence) || (legacy.Count > 0 && AuditChain.Of(legacy[0].TenantId) != manifest.Chain))
        {
            var stray = records.Take(legacy.Count).FirstOrDefault(r => r.Sequence > origin.Sequence) ?? legacy[0];
            return Failed(stray.Sequence > origin.Sequence ? AuditProblem.Reordered : AuditProblem.ForeignRecord, stray.Sequence,
                stray.Sequence > origin.Sequence
                    ? $"record #{stray.Sequence} is out of order: it comes before records of the legacy segment"
                    : $"record #{stray.Sequence} belongs to the chain of {AuditChain.Of(stray.TenantId)}, not to {manifest.Chain}: it was replayed from another chain",
                manifest);
        }

        var legacyResult = AuditChainVerifier.Verify(legacy, export.Checkpoints.Where(c => c.Chain == AuditChain.Legacy), keys,
            contiguous: false, chain: manifest.Chain);
        if (!legacyResult.IsValid)
        {
            return Failed(legacyResult.Problem, legacyResult.FirstBadSequence, legacyResult.Message, manifest);
        }

        var coverage = manifest.IsFiltered ? AuditExportCoverage.Filtered : manifest.IsWholeChain ? AuditExportCoverage.WholeChain : AuditExportCoverage.TimeRange;
        AuditChainHead? startAfter = coverage switch
        {
            AuditExportCoverage.WholeChain => origin.Sequence == 0 ? null : origin,
            AuditExportCoverage.TimeRange when own.Count > 0 => new AuditChainHead(own[0].Sequence - 1, own[0].PreviousHash),
            _ => null,
        };
        var ownResult = AuditChainVerifier.Verify(own, export.Checkpoints.Where(c => c.Chain == manifest.Chain), keys,
            startAfter ?? (coverage == AuditExportCoverage.Filtered ? origin : null),
            expectedHead: coverage != AuditExportCoverage.Filtered && manifest.LastSequence > origin.Sequence ? manifest.LastSequence : null,
            contiguous: coverage != AuditExportCoverage.Filtered, chain: manifest.Chain);
        if (!ownResult.IsValid)
        {
            return Failed(ownResult.Problem, ownResult.FirstBadSequence, ownResult.Message, manifest);
        }

        if (Mismatch(manifest, records) is { } mismatch)
        {
            return mismatch;
        }

        var checkpoints = legacyResult.CheckpointsVerified + ownResult.CheckpointsVerified;
        var span = records.Count == 0 ? "no records" : $"{records.Count} records, #{records[0].Sequence} to #{records[^1].Sequence}";
        var message = coverage switch
        {
            AuditExportCoverage.WholeChain => $"{span}: the whole chain {manifest.Chain}, complete and contiguous from its start after #{origin.Sequence}; {checkpoints} checkpoints valid",
            AuditExportCoverage.TimeRange => $"{span} of chain {manifest.Chain}: contiguous for {Describe(manifest.Filter)}; {checkpoints} checkpoints valid",
            _ => $"{span} of chain {manifest.Chain}, selected by {Describe(manifest.Filter)}: each record matches its own hash; a filtered export is not contiguous, so completeness cannot be claimed; {checkpoints} checkpoints valid",
        };
        return new AuditExportVerification
        {
            IsValid = true, Message = message, Manifest = manifest, Coverage = coverage, RecordCount = records.Count,
            CheckpointsVerified = checkpoints,
        };
    }

    private static AuditExportVerification? Mismatch(AuditExportManifest manifest, List<AuditRecord> records)
    {
        var last = records.Count > 0 ? records[^1] : null;
        if (records.Count < manifest.RecordCount || (manifest.LastSequence is { } lastListed && (last?.Sequence ?? 0) < lastListed))
        {
            var from = last is null ? "all records are missing" : $"records after #{last.Sequence} are missing";
            return Failed(AuditProblem.TailCut, (last?.Sequence ?? manifest.Origin.Sequence) + 1,
                $"tail cut: {from}; the signed manifest lists {manifest.RecordCount} records up to #{manifest.LastSequence}", manifest);
        }

        if (records.Count != manifest.RecordCount || last?.Sequence != manifest.LastSequence || last?.Hash != manifest.LastHash
            || (records.Count > 0 ? records[0].Sequence : (long?)null) != manifest.FirstSequence)
        {
            return Failed(AuditProblem.ManifestMismatch, last?.Sequence,
                $"the file does not hold what its signed manifest lists ({manifest.RecordCount} records, #{manifest.FirstSequence} to #{manifest.LastSequence}); it holds {records.Count}", manifest);
        }

        return null;
    }

    private static AuditExportVerification VerifyUnsigned(AuditExportReader export, List<AuditRecord> records, AuditKeyRing keys)
    {
        var result = AuditChainVerifier.Verify(records, export.Checkpoints, keys, contiguous: export.Header.IsWholeChain);
        if (!result.IsValid)
        {
            return Failed(result.Problem, result.FirstBadSequence, result.Message);
        }

        if (export.DeclaredRecordCount is not { } declared)
        {
            return Failed(AuditProblem.TailCut, result.VerifiedUpTo + 1, $"the file ends early after record #{result.VerifiedUpTo}: its end line is missing");
        }

        if (declared != export.RecordCount)
        {
            return Failed(AuditProblem.ManifestMismatch, null, $"the end line counts {declared} records but the file holds {export.RecordCount}");
        }

        return new AuditExportVerification
        {
            IsValid = true, Coverage = AuditExportCoverage.Unsigned, RecordCount = records.Count, CheckpointsVerified = result.CheckpointsVerified,
            Message = $"{result.Message}; an export made before signed manifests (format v1): its records and checkpoints verify, but nothing proves it complete",
        };
    }

    private static bool SameFilter(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b) =>
        (a is null || a.Count == 0) ? (b is null || b.Count == 0)
        : b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var value) && value == p.Value);

    private static string Describe(IReadOnlyDictionary<string, string>? filter) => filter is null or { Count: 0 }
        ? "no filter"
        : string.Join(", ", filter.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));

    private static AuditExportVerification Failed(AuditProblem? problem, long? firstBad, string message, AuditExportManifest? manifest = null) => new()
    {
        IsValid = false, Problem = problem, FirstBadSequence = firstBad, Message = message, Manifest = manifest,
    };
}
