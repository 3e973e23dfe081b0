using System.Diagnostics;
using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public sealed class AuditChainVerifierTests : IDisposable
{
    private readonly AuditSigner _signer = AuditSigner.Create();
    private readonly AuditCheckpointVerifier _verifier;
    private readonly List<AuditRecord> _chain = AuditTestChain.Build(10);

    public AuditChainVerifierTests() => _verifier = _signer.CreateVerifier();

    public void Dispose()
    {
        _signer.Dispose();
        _verifier.Dispose();
    }

    private List<AuditCheckpoint> Checkpoints(params long[] sequences) => AuditTestChain.Checkpoints(_signer, _chain, sequences);

    private AuditVerificationResult Verify(IEnumerable<AuditRecord> records, params long[] checkpointSequences) =>
        AuditChainVerifier.Verify(records, Checkpoints(checkpointSequences), _verifier);

    private static void AssertBad(AuditVerificationResult result, AuditProblem problem, long firstBad)
    {
        Assert.False(result.IsValid, result.Message);
        Assert.Equal(problem, result.Problem);
        Assert.Equal(firstBad, result.FirstBadSequence);
        Assert.Contains($"#{firstBad}", result.Message);
        Assert.True(result.VerifiedUpTo < firstBad);
    }

    [Fact]
    public void IntactChain_IsValidUpToItsLastRecordWithEveryCheckpoint()
    {
        var result = Verify(_chain, 5, 10);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(10, result.VerifiedUpTo);
        Assert.Equal(_chain[^1].Hash, result.VerifiedHash);
        Assert.Equal(10, result.AnchoredUpTo);
        Assert.Equal(2, result.CheckpointsVerified);
        Assert.Equal("10 records verified up to #10, 2 checkpoints valid", result.Message);
        Assert.Null(result.FirstBadSequence);
    }

    [Fact]
    public void EmptyChain_IsValid()
    {
        var result = AuditChainVerifier.Verify([], []);

        Assert.True(result.IsValid);
        Assert.Equal(0, result.VerifiedUpTo);
        Assert.Equal(AuditHash.Genesis, result.VerifiedHash);
    }

    [Fact]
    public void IntactChainOfTenThousandRecords_VerifiesQuickly()
    {
        var chain = AuditTestChain.Build(10_000);
        var checkpoints = AuditTestChain.Checkpoints(_signer, chain, 1_000, 5_000, 10_000);
        var stopwatch = Stopwatch.StartNew();

        var result = AuditChainVerifier.Verify(chain, checkpoints, _verifier);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(10_000, result.RecordsVerified);
        Assert.Equal(3, result.CheckpointsVerified);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
    }

    public static TheoryData<string> Fields() => new()
    {
        "OccurredAt", "TenantId", "TenantIdToNull", "ActorId", "ActorName", "ActorRoles", "ActorIp", "Action",
        "ResourceType", "ResourceId", "Outcome", "Reason", "ReasonToNull", "Details", "DetailsWhitespace",
        "CorrelationId", "PreviousHash", "Hash", "SequenceUp", "SequenceDown",
    };

    private static AuditRecord Edit(AuditRecord r, string field) => field switch
    {
        "OccurredAt" => r with { OccurredAt = r.OccurredAt.AddMilliseconds(1) },
        "TenantId" => r with { TenantId = Guid.NewGuid() },
        "TenantIdToNull" => r with { TenantId = null },
        "ActorId" => r with { ActorId = "u-evil" },
        "ActorName" => r with { ActorName = r.ActorName + " " },
        "ActorRoles" => r with { ActorRoles = "Auditor" },
        "ActorIp" => r with { ActorIp = "198.51.100.1" },
        "Action" => r with { Action = "member.removed" },
        "ResourceType" => r with { ResourceType = "key" },
        "ResourceId" => r with { ResourceId = "r-other" },
        "Outcome" => r with { Outcome = AuditOutcome.Denied },
        "Reason" => r with { Reason = "nothing happened" },
        "ReasonToNull" => r with { Reason = null },
        "Details" => r with { Details = """{"before":{"role":"Auditor"},"after":{"role":"TenantAdmin"},"n":7}""" },
        "DetailsWhitespace" => r with { Details = r.Details + " " },
        "CorrelationId" => r with { CorrelationId = "c-x" },
        "PreviousHash" => r with { PreviousHash = new string('e', 64) },
        "Hash" => r with { Hash = new string('e', 64) },
        "SequenceUp" => r with { Sequence = 70 },
        "SequenceDown" => r with { Sequence = 3 },
        _ => throw new ArgumentOutOfRangeException(nameof(field)),
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void EditedField_IsAHashMismatchAtThatRecord(string field)
    {
        var records = _chain.ToList();
        records[6] = Edit(records[6], field);
        Assert.NotEqual(_chain[6], records[6]);

        var result = Verify(records, 10);

        AssertBad(result, AuditProblem.HashMismatch, 7);
        Assert.Equal(6, result.VerifiedUpTo);
        Assert.Equal(_chain[5].Hash, result.VerifiedHash);
    }

    [Fact]
    public void EditedAndRehashedRecord_IsNamedBecauseTheNextRecordNoLongerLinksToIt()
    {
        var records = _chain.ToList();
        records[6] = AuditTestChain.Rehash(records[6] with { Outcome = AuditOutcome.Success, ActorName = "someone else" });

        var result = Verify(records);

        AssertBad(result, AuditProblem.BrokenLink, 7);
        Assert.Contains("record #7 was rewritten", result.Message);
    }

    [Fact]
    public void DeletedMiddleRecord_IsASequenceGapAtTheMissingNumber()
    {
        var records = _chain.Where(r => r.Sequence != 5).ToList();

        var result = Verify(records, 10);

        AssertBad(result, AuditProblem.SequenceGap, 5);
        Assert.Equal("record #5 is missing: #4 is followed by #6", result.Message);
        Assert.Equal(4, result.VerifiedUpTo);
    }

    [Fact]
    public void DeletedRun_NamesTheFirstMissingRecord()
    {
        var result = Verify(_chain.Where(r => r.Sequence is < 4 or > 6));

        AssertBad(result, AuditProblem.SequenceGap, 4);
        Assert.Equal("records #4 to #6 are missing: #3 is followed by #7", result.Message);
    }

    [Fact]
    public void DeletedFirstRecord_IsASequenceGapAtOne()
    {
        var result = Verify(_chain.Skip(1), 10);

        AssertBad(result, AuditProblem.SequenceGap, 1);
        Assert.Equal("record #1 is missing: the chain starts at #2", result.Message);
        Assert.Equal(0, result.VerifiedUpTo);
    }

    [Fact]
    public void DeletedRecordWithTheRestRenumbered_IsNamed()
    {
        var records = _chain.Where(r => r.Sequence != 5).Select(r => r.Sequence > 5 ? r with { Sequence = r.Sequence - 1 } : r);

        AssertBad(Verify(records), AuditProblem.HashMismatch, 5);
    }

    private AuditRecord Forged(long sequence, string previousHash) =>
        AuditTestChain.Rehash(AuditRecord.Seal(new AuditChainHead(sequence - 1, previousHash), AuditTestChain.Entry(99)));

    [Fact]
    public void InsertedRecordClaimingFiveWithTheRestRenumbered_IsNamedFive()
    {
        var records = _chain.Take(4).Append(Forged(5, _chain[3].Hash))
            .Concat(_chain.Skip(4).Select(r => r with { Sequence = r.Sequence + 1 }));

        var result = Verify(records);

        AssertBad(result, AuditProblem.Inserted, 5);
        Assert.Equal(4, result.VerifiedUpTo);
        Assert.Contains("record #5 was inserted", result.Message);
    }

    [Fact]
    public void InsertedRecordClaimingAnExistingNumber_IsNamed()
    {
        var records = _chain.Take(4).Append(Forged(5, _chain[3].Hash)).Concat(_chain.Skip(4));

        var result = Verify(records);

        AssertBad(result, AuditProblem.Inserted, 5);
        Assert.Contains("two records claim #5", result.Message);
    }

    [Fact]
    public void InsertedRecordWithEverythingAfterRelinked_IsCaughtByTheNextCheckpoint()
    {
        var checkpoints = Checkpoints(4, 10);
        var forged = _chain.Take(4).Append(Forged(5, _chain[3].Hash)).Concat(_chain.Skip(4)).ToList();
        var records = AuditTestChain.RelinkFrom(forged, 5).Take(10);

        var result = AuditChainVerifier.Verify(records, checkpoints, _verifier);

        AssertBad(result, AuditProblem.CheckpointMismatch, 5);
        Assert.Equal(4, result.VerifiedUpTo);
        Assert.Equal(4, result.AnchoredUpTo);
        Assert.Equal("record #10 does not match its signed checkpoint: the chain was rewritten from #5 on", result.Message);
    }

    [Fact]
    public void SwappedRows_AreReorderedAtTheLowerNumber()
    {
        var records = _chain.ToList();
        (records[2], records[3]) = (records[3], records[2]);

        var result = Verify(records);

        AssertBad(result, AuditProblem.Reordered, 3);
        Assert.Equal(2, result.VerifiedUpTo);
    }

    [Fact]
    public void SwappedContentsKeepingTheNumbers_AreReorderedAtTheLowerNumber()
    {
        var records = _chain.ToList();
        (records[2], records[3]) = (records[3] with { Sequence = 3 }, records[2] with { Sequence = 4 });

        var result = Verify(records);

        AssertBad(result, AuditProblem.Reordered, 3);
        Assert.Contains("records #3 and #4 have swapped places", result.Message);
    }

    [Fact]
    public void CutTailWithACheckpointBeyondIt_IsNamedOnePastTheLastRecord()
    {
        var result = Verify(_chain.Take(8), 5, 10);

        AssertBad(result, AuditProblem.TailCut, 9);
        Assert.Equal("tail cut: records after #8 are missing (#9 onwards); a checkpoint covers #10", result.Message);
        Assert.Equal(8, result.VerifiedUpTo);
    }

    [Fact]
    public void CutTailBelowTheExpectedHead_IsNamedOnePastTheLastRecord()
    {
        var result = AuditChainVerifier.Verify(_chain.Take(8), [], expectedHead: 10);

        AssertBad(result, AuditProblem.TailCut, 9);
        Assert.Equal("tail cut: records after #8 are missing (#9 onwards); the chain's head is #10", result.Message);
    }

    [Fact]
    public void EveryRecordDeletedButCheckpointsKept_IsATailCutFromOne() =>
        AssertBad(Verify([], 10), AuditProblem.TailCut, 1);

    [Fact]
    public void CheckpointWithATamperedSignature_IsNamedByItsSequence()
    {
        var checkpoints = Checkpoints(5, 10);
        var signature = Convert.FromBase64String(checkpoints[1].Signature);
        signature[^1] ^= 0x01;
        checkpoints[1] = checkpoints[1] with { Signature = Convert.ToBase64String(signature) };

        var result = AuditChainVerifier.Verify(_chain, checkpoints, _verifier);

        AssertBad(result, AuditProblem.BadCheckpointSignature, 10);
        Assert.Equal("the checkpoint for #10 has an invalid signature", result.Message);
        Assert.Equal(1, result.CheckpointsVerified);
    }

    [Fact]
    public void CheckpointSignedByAnotherKey_IsRefused()
    {
        using var other = AuditSigner.Create();
        var checkpoints = Checkpoints(5).Append(other.Sign(AuditChainHead.Of(_chain[9]), AuditTestChain.Start)).ToList();

        var result = AuditChainVerifier.Verify(_chain, checkpoints, _verifier);

        AssertBad(result, AuditProblem.BadCheckpointSignature, 10);
        Assert.Contains($"signed with key {other.KeyId}, not with the audit key {_signer.KeyId}", result.Message);
    }

    [Fact]
    public void CheckpointSignedByAnotherKeyUnderOurKeyId_IsRefused()
    {
        using var other = AuditSigner.Create();
        var forged = other.Sign(AuditChainHead.Of(_chain[9]), AuditTestChain.Start) with { KeyId = _signer.KeyId };

        AssertBad(AuditChainVerifier.Verify(_chain, [forged], _verifier), AuditProblem.BadCheckpointSignature, 10);
    }

    [Fact]
    public void RewrittenChainUnderAnOldCheckpoint_NamesTheFirstRecordAfterTheLastMatchingCheckpoint()
    {
        var checkpoints = Checkpoints(3, 8);
        var records = _chain.ToList();
        records[5] = records[5] with { Outcome = AuditOutcome.Denied };
        records = AuditTestChain.RelinkFrom(records, 5);

        var result = AuditChainVerifier.Verify(records, checkpoints, _verifier);

        AssertBad(result, AuditProblem.CheckpointMismatch, 4);
        Assert.Equal(3, result.VerifiedUpTo);
    }

    [Fact]
    public void WithoutAVerifier_CheckpointHashesAreStillCompared()
    {
        var forged = Checkpoints(10)[0] with { Hash = new string('a', 64) };

        var result = AuditChainVerifier.Verify(_chain, [forged]);

        Assert.False(result.SignaturesChecked);
        AssertBad(result, AuditProblem.CheckpointMismatch, 1);
    }

    [Fact]
    public void IncrementalFromACheckpoint_VerifiesOnlyTheRecordsAfterIt()
    {
        var checkpoints = Checkpoints(5, 10);
        var records = _chain.ToList();
        records[1] = records[1] with { ActorName = "edited before the checkpoint" };

        var result = AuditChainVerifier.Verify(records.Skip(5), checkpoints, _verifier, startAfter: AuditChainHead.Of(checkpoints[0]));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(5, result.RecordsVerified);
        Assert.Equal(10, result.VerifiedUpTo);
        Assert.Equal(1, result.CheckpointsVerified);
    }

    [Fact]
    public void IncrementalFromACheckpoint_DetectsAnEditAfterIt()
    {
        var records = _chain.ToList();
        records[7] = records[7] with { Action = "key.created" };

        var result = AuditChainVerifier.Verify(records.Skip(5), [], startAfter: AuditChainHead.Of(_chain[4]));

        AssertBad(result, AuditProblem.HashMismatch, 8);
    }

    [Fact]
    public void IncrementalFromACheckpoint_FirstRecordNotLinkingToIt_IsNamed()
    {
        var records = _chain.Skip(5).ToList();
        records[0] = AuditTestChain.Rehash(records[0] with { PreviousHash = new string('c', 64) });

        var result = AuditChainVerifier.Verify(records, [], startAfter: AuditChainHead.Of(_chain[4]));

        AssertBad(result, AuditProblem.BrokenLink, 6);
        Assert.Equal(5, result.VerifiedUpTo);
    }

    [Fact]
    public void FilteredRecords_AreVerifiedOneByOneAndAgainstCheckpointsTheyMeet()
    {
        var subset = _chain.Where(r => r.Sequence is 2 or 3 or 7 or 10);

        var result = AuditChainVerifier.Verify(subset, Checkpoints(5, 10), _verifier, contiguous: false);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(4, result.RecordsVerified);
        Assert.Equal(1, result.CheckpointsVerified);
        Assert.Equal(1, result.CheckpointsWithoutRecord);
    }

    [Fact]
    public void FilteredRecords_AnEditedRecordIsStillNamed()
    {
        var subset = _chain.Where(r => r.Sequence is 2 or 3 or 7 or 10).ToList();
        subset[2] = subset[2] with { ResourceId = "r-else" };

        AssertBad(AuditChainVerifier.Verify(subset, [], contiguous: false), AuditProblem.HashMismatch, 7);
    }

    [Fact]
    public void FilteredRecords_OutOfOrderAreNamed()
    {
        var subset = _chain.Where(r => r.Sequence is 2 or 7 or 3).OrderBy(r => r.Sequence == 3);

        AssertBad(AuditChainVerifier.Verify(subset, [], contiguous: false), AuditProblem.Reordered, 3);
    }
}
