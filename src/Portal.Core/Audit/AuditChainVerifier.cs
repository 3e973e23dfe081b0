namespace Portal.Core.Audit;

/// <summary>
/// Walks a chain once, in the order the records are read, and stops at the first problem.
/// </summary>
/// <remarks>
/// <para>Streaming: memory is the checkpoints plus two records (and one record of look-ahead at a problem), so
/// millions of records can be verified straight from a database reader or an export file.</para>
/// <para><b>First bad sequence</b> is the lowest sequence number that can no longer be trusted. Every record below
/// it (down to <see cref="AuditVerificationResult.VerifiedUpTo"/>) was checked and linked. Per problem:</para>
/// <list type="bullet">
/// <item><see cref="AuditProblem.HashMismatch"/>: the record whose content (any field, including its sequence
/// number, previous hash or hash) no longer matches its hash. Editing #7 → 7.</item>
/// <item><see cref="AuditProblem.BrokenLink"/>: record #n+1 is self-consistent but links to another hash than
/// #n has, i.e. #n was edited and re-hashed (or replaced). First bad is #n — or #n+1 when #n is anchored by a
/// checkpoint or is the trusted starting point.</item>
/// <item><see cref="AuditProblem.SequenceGap"/>: the first missing number. Deleting #5 of 10 → 5
/// ("record #5 is missing: #4 is followed by #6"); deleting #1 → 1.</item>
/// <item><see cref="AuditProblem.Inserted"/>: the forged record's number. A forged record claiming #5 after #4,
/// with the rest renumbered (the old #5, now #6, still links to #4) or not (two records claim #5) → 5.</item>
/// <item><see cref="AuditProblem.Reordered"/>: the lower number of the misplaced pair. Swapping #3 and #4 —
/// either the rows (read as #1, #2, #4, #3) or their contents (each number now holds the other's record) → 3.</item>
/// <item><see cref="AuditProblem.TailCut"/>: one past the last record present, when a checkpoint or the expected
/// head lies beyond it. Cutting after #8 with a checkpoint on #10 → 9
/// ("tail cut: records after #8 are missing (#9 onwards); a checkpoint covers #10").</item>
/// <item><see cref="AuditProblem.BadCheckpointSignature"/>: the sequence the checkpoint claims to cover.</item>
/// <item><see cref="AuditProblem.CheckpointMismatch"/>: a chain that links correctly but disagrees with a signed
/// checkpoint was rewritten wholesale (re-hashed onwards); the first record after the last matching checkpoint is
/// the first that cannot be trusted. In a filtered export, the checkpoint's own record.</item>
/// </list>
/// <para>Records past the last valid checkpoint are linked and self-consistent, but only a later checkpoint can
/// prove they were not rewritten; <see cref="AuditVerificationResult.AnchoredUpTo"/> tells how far the proof goes.
/// Without a <see cref="AuditCheckpointVerifier"/>, checkpoint hashes are compared but signatures are not checked.</para>
/// </remarks>
public static class AuditChainVerifier
{
    /// <param name="records">In ascending sequence order as read (a store reads them ordered by sequence).</param>
    /// <param name="checkpoints">Any order; those at or before <paramref name="startAfter"/> are ignored.</param>
    /// <param name="checkpointVerifier">The audit public key; null compares hashes only.</param>
    /// <param name="startAfter">
    /// For incremental verification: a trusted position (the last good checkpoint); the first record read must be
    /// the one after it. Null starts at record #1 after <see cref="AuditHash.Genesis"/>.
    /// </param>
    /// <param name="expectedHead">The sequence number the chain is known to reach (e.g. the store's head); a shorter
    /// chain is a cut tail.</param>
    /// <param name="contiguous">
    /// False for a filtered export: gaps between sequence numbers are allowed, each record is checked against its
    /// own hash, links are checked where numbers are consecutive, and checkpoints where their record is present.
    /// </param>
    public static AuditVerificationResult Verify(
        IEnumerable<AuditRecord> records,
        IEnumerable<AuditCheckpoint> checkpoints,
        AuditCheckpointVerifier? checkpointVerifier = null,
        AuditChainHead? startAfter = null,
        long? expectedHead = null,
        bool contiguous = true)
    {
        var keys = checkpointVerifier is null ? null : AuditKeyRing.Of(checkpointVerifier);
        return Verify(records, checkpoints, keys, startAfter, expectedHead, contiguous, chain: null);
    }

    /// <inheritdoc cref="Verify(IEnumerable{AuditRecord}, IEnumerable{AuditCheckpoint}, AuditCheckpointVerifier?, AuditChainHead?, long?, bool)"/>
    /// <param name="keys">Every audit public key (a checkpoint names the key that signed it); null compares hashes only.</param>
    /// <param name="chain">
    /// The chain the records claim to be (<see cref="AuditChain"/>): a record of another tenant's chain in it is named
    /// as replayed from there. Null: the records' own chain, unchecked. (Pass only the checkpoints that belong with the records.)
    /// </param>
    public static AuditVerificationResult Verify(
        IEnumerable<AuditRecord> records,
        IEnumerable<AuditCheckpoint> checkpoints,
        AuditKeyRing? keys,
        AuditChainHead? startAfter = null,
        long? expectedHead = null,
        bool contiguous = true,
        string? chain = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var start = startAfter ?? AuditChainHead.Genesis;
        var relevant = checkpoints.Where(c => c.Sequence > start.Sequence).OrderBy(c => c.Sequence).ToList();
        using var reader = new PeekingReader(records.GetEnumerator());
        return new ChainWalk(start, relevant, keys, expectedHead, contiguous, chain).Run(reader);
    }

    private sealed record Link(long Sequence, string Hash, bool Trusted);

    private sealed class ChainWalk(
        AuditChainHead start,
        List<AuditCheckpoint> checkpoints,
        AuditKeyRing? verifier,
        long? expectedHead,
        bool contiguous,
        string? chain)
    {
        private readonly AuditChainHead _start = start;
        private Link _last = new(start.Sequence, start.Hash, Trusted: true);
        private Link? _beforeLast;
        private AuditChainHead _anchored = start;
        private long _recordCount;
        private int _checkpointIndex;
        private int _checkpointsVerified;
        private int _checkpointsWithoutRecord;

        public AuditVerificationResult Run(PeekingReader reader)
        {
            while (reader.MoveNext())
            {
                if ((Check(reader.Current, reader) ?? Accept(reader.Current)) is { } problem)
                {
                    return problem;
                }
            }

            return Finish();
        }

        private AuditVerificationResult? Check(AuditRecord record, PeekingReader reader)
        {
            var expected = _last.Sequence + 1;
            if (chain is not null and not AuditChain.Legacy && AuditChain.Of(record.TenantId) != chain)
            {
                return Fail(AuditProblem.ForeignRecord, record.Sequence,
                    $"record #{record.Sequence} belongs to the chain of {AuditChain.Of(record.TenantId)}, not to {chain}: it was replayed from another chain");
            }

            var linksToLast = record.PreviousHash == _last.Hash;
            if (record.Sequence != expected && linksToLast)
            {
                return Fail(AuditProblem.HashMismatch, expected,
                    $"record #{expected} was altered: it follows #{_last.Sequence} but carries sequence number #{record.Sequence}");
            }

            if (record.Sequence <= _last.Sequence)
            {
                return OutOfOrder(record, expected);
            }

            if (record.Sequence > expected)
            {
                if (contiguous)
                {
                    return Gap(record, expected, reader.Peek());
                }

                return IsSelfConsistent(record) ? null : Altered(record);
            }

            var selfConsistent = IsSelfConsistent(record);
            if (linksToLast && selfConsistent)
            {
                return null;
            }

            if (!linksToLast && !_last.Trusted && _beforeLast is { } beforeLast
                && beforeLast.Sequence == _last.Sequence - 1 && record.PreviousHash == beforeLast.Hash)
            {
                return Fail(AuditProblem.Inserted, _last.Sequence,
                    $"record #{_last.Sequence} was inserted: the record after it (#{record.Sequence}) links to #{beforeLast.Sequence}");
            }

            if (!selfConsistent)
            {
                var next = reader.Peek();
                if (next is not null && next.Sequence == record.Sequence + 1 && next.PreviousHash == _last.Hash)
                {
                    return Fail(AuditProblem.Reordered, record.Sequence,
                        $"records #{record.Sequence} and #{next.Sequence} have swapped places: #{next.Sequence} holds the record that follows #{_last.Sequence}");
                }

                return Altered(record);
            }

            if (_last.Trusted)
            {
                return Fail(AuditProblem.BrokenLink, record.Sequence, _last.Sequence == 0
                    ? $"record #{record.Sequence} was altered: it does not start from the genesis hash"
                    : $"record #{record.Sequence} was altered: it does not link to #{_last.Sequence}, whose hash is anchored");
            }

            return Fail(AuditProblem.BrokenLink, _last.Sequence,
                $"record #{_last.Sequence} was rewritten or replaced: #{record.Sequence} links to a different hash");
        }

        private AuditVerificationResult OutOfOrder(AuditRecord record, long expected)
        {
            if (record.Sequence == _last.Sequence && !_last.Trusted)
            {
                return Fail(AuditProblem.Inserted, record.Sequence,
                    $"two records claim #{record.Sequence}: one of them was inserted after #{record.Sequence - 1}");
            }

            if (contiguous || record.Sequence <= _start.Sequence)
            {
                return Fail(AuditProblem.Inserted, expected,
                    $"a record numbered #{record.Sequence} appears after #{_last.Sequence}, where #{expected} belongs");
            }

            return Fail(AuditProblem.Reordered, record.Sequence,
                $"record #{record.Sequence} is out of order: it comes after #{_last.Sequence}");
        }

        private AuditVerificationResult Gap(AuditRecord record, long expected, AuditRecord? next)
        {
            if (next?.Sequence == expected)
            {
                return Fail(AuditProblem.Reordered, expected,
                    $"records are out of order: #{record.Sequence} comes before #{expected}");
            }

            var message = (_last.Sequence == 0, record.Sequence == expected + 1) switch
            {
                (true, true) => $"record #1 is missing: the chain starts at #{record.Sequence}",
                (true, false) => $"records #1 to #{record.Sequence - 1} are missing: the chain starts at #{record.Sequence}",
                (false, true) => $"record #{expected} is missing: #{_last.Sequence} is followed by #{record.Sequence}",
                (false, false) => $"records #{expected} to #{record.Sequence - 1} are missing: #{_last.Sequence} is followed by #{record.Sequence}",
            };
            return Fail(AuditProblem.SequenceGap, expected, message);
        }

        private AuditVerificationResult Altered(AuditRecord record) =>
            Fail(AuditProblem.HashMismatch, record.Sequence, $"record #{record.Sequence} was altered: its content does not match its hash");

        private AuditVerificationResult? Accept(AuditRecord record)
        {
            while (_checkpointIndex < checkpoints.Count && checkpoints[_checkpointIndex].Sequence < record.Sequence)
            {
                if (SignatureProblem(checkpoints[_checkpointIndex++]) is { } problem)
                {
                    return problem;
                }

                _checkpointsWithoutRecord++;
            }

            var anchored = false;
            while (_checkpointIndex < checkpoints.Count && checkpoints[_checkpointIndex].Sequence == record.Sequence)
            {
                var checkpoint = checkpoints[_checkpointIndex++];
                if (SignatureProblem(checkpoint) is { } problem)
                {
                    return problem;
                }

                if (checkpoint.Hash != record.Hash)
                {
                    return contiguous
                        ? Fail(AuditProblem.CheckpointMismatch, _anchored.Sequence + 1,
                            $"record #{record.Sequence} does not match its signed checkpoint: the chain was rewritten from #{_anchored.Sequence + 1} on")
                        : Fail(AuditProblem.CheckpointMismatch, record.Sequence,
                            $"record #{record.Sequence} does not match its signed checkpoint");
                }

                anchored = true;
                _checkpointsVerified++;
            }

            _beforeLast = _last;
            _last = new Link(record.Sequence, record.Hash, anchored);
            _recordCount++;
            if (anchored)
            {
                _anchored = new AuditChainHead(record.Sequence, record.Hash);
            }

            return null;
        }

        private AuditVerificationResult Finish()
        {
            long? coveredByCheckpoint = null;
            while (_checkpointIndex < checkpoints.Count)
            {
                var checkpoint = checkpoints[_checkpointIndex++];
                if (SignatureProblem(checkpoint) is { } problem)
                {
                    return problem;
                }

                if (contiguous)
                {
                    coveredByCheckpoint = checkpoint.Sequence;
                }
                else
                {
                    _checkpointsWithoutRecord++;
                }
            }

            var missingFrom = _last.Sequence == 0 ? "all records are missing, from #1" : $"records after #{_last.Sequence} are missing (#{_last.Sequence + 1} onwards)";
            if (coveredByCheckpoint is { } covered)
            {
                return Fail(AuditProblem.TailCut, _last.Sequence + 1, $"tail cut: {missingFrom}; a checkpoint covers #{covered}");
            }

            if (contiguous && expectedHead > _last.Sequence)
            {
                return Fail(AuditProblem.TailCut, _last.Sequence + 1, $"tail cut: {missingFrom}; the chain's head is #{expectedHead}");
            }

            return Result(isValid: true, _last.Sequence, _last.Hash, problem: null, firstBad: null,
                $"{_recordCount} records verified up to #{_last.Sequence}, {_checkpointsVerified} checkpoints valid");
        }

        private AuditVerificationResult? SignatureProblem(AuditCheckpoint checkpoint)
        {
            if (verifier is null)
            {
                return null;
            }

            if (verifier.Find(checkpoint.KeyId) is not { } key)
            {
                return Fail(AuditProblem.BadCheckpointSignature, checkpoint.Sequence,
                    $"the checkpoint for #{checkpoint.Sequence} was signed with key {checkpoint.KeyId}, not with the audit key {verifier.Describe()}");
            }

            return key.Verify(checkpoint)
                ? null
                : Fail(AuditProblem.BadCheckpointSignature, checkpoint.Sequence,
                    $"the checkpoint for #{checkpoint.Sequence} has an invalid signature");
        }

        private static bool IsSelfConsistent(AuditRecord record)
        {
            try
            {
                return AuditHash.Compute(record.PreviousHash, record) == record.Hash;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        private AuditVerificationResult Fail(AuditProblem problem, long firstBad, string message)
        {
            var good = new[] { _last, _beforeLast }
                .Where(link => link is not null && link.Sequence < firstBad)
                .Select(link => new AuditChainHead(link!.Sequence, link.Hash))
                .Append(_anchored)
                .Where(head => head.Sequence < firstBad)
                .DefaultIfEmpty(_start)
                .MaxBy(head => head.Sequence);
            return Result(isValid: false, good.Sequence, good.Hash, problem, firstBad, message);
        }

        private AuditVerificationResult Result(bool isValid, long upTo, string hash, AuditProblem? problem, long? firstBad, string message) => new()
        {
            IsValid = isValid,
            RecordsVerified = _recordCount,
            VerifiedUpTo = upTo,
            VerifiedHash = hash,
            AnchoredUpTo = Math.Min(_anchored.Sequence, upTo),
            CheckpointsVerified = _checkpointsVerified,
            CheckpointsWithoutRecord = _checkpointsWithoutRecord,
            SignaturesChecked = verifier is not null,
            Problem = problem,
            FirstBadSequence = firstBad,
            Message = message,
        };
    }

    /// <summary>An enumerator that can look one record ahead, which the walk needs only to name a problem.</summary>
    private sealed class PeekingReader(IEnumerator<AuditRecord> inner) : IDisposable
    {
        private AuditRecord? _peeked;
        private bool _hasPeeked;

        public AuditRecord Current { get; private set; } = null!;

        public bool MoveNext()
        {
            if (_hasPeeked)
            {
                _hasPeeked = false;
                if (_peeked is null)
                {
                    return false;
                }

                Current = _peeked;
                return true;
            }

            if (!inner.MoveNext())
            {
                return false;
            }

            Current = inner.Current;
            return true;
        }

        public AuditRecord? Peek()
        {
            if (!_hasPeeked)
            {
                _peeked = inner.MoveNext() ? inner.Current : null;
                _hasPeeked = true;
            }

            return _peeked;
        }

        public void Dispose() => inner.Dispose();
    }
}
