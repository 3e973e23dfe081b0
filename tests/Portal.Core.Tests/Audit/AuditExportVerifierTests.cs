using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

/// <summary>
/// Offline verification of a tenant's export as an auditor receives it: a legacy segment of six records (two of them
/// the tenant's), then the tenant's own chain #7–#17, signed checkpoints and the signed manifest.
/// </summary>
public sealed class AuditExportVerifierTests : IDisposable
{
    private static readonly Guid TenantA = new("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid TenantB = new("bbbbbbbb-0000-0000-0000-000000000002");

    private readonly AuditSigner _signer = AuditSigner.Create();
    private readonly AuditKeyRing _keys;
    private readonly List<AuditRecord> _legacy = [];
    private readonly List<AuditRecord> _chainA = [];
    private readonly List<AuditRecord> _chainB = [];

    public AuditExportVerifierTests()
    {
        _keys = AuditKeyRing.Of(_signer.CreateVerifier());
        var head = AuditChainHead.Genesis;
        for (var n = 1; n <= 6; n++)
        {
            var record = AuditRecord.Seal(head, Entry(n, n % 3 == 0 ? TenantA : TenantB));
            _legacy.Add(record);
            head = AuditChainHead.Of(record);
        }

        _chainA.AddRange(Chain(TenantA, 11, Origin));
        _chainB.AddRange(Chain(TenantB, 5, Origin));
    }

    private AuditChainHead Origin => AuditChainHead.Of(_legacy[^1]);

    private string ChainA => AuditChain.Of(TenantA);

    public void Dispose()
    {
        _keys.Dispose();
        _signer.Dispose();
    }

    private static AuditEntry Entry(int n, Guid tenant) => AuditTestChain.Entry(n) with { TenantId = tenant };

    private static IEnumerable<AuditRecord> Chain(Guid tenant, int count, AuditChainHead origin)
    {
        var head = origin;
        for (var n = 1; n <= count; n++)
        {
            var record = AuditRecord.Seal(head, Entry(100 + n, tenant));
            head = AuditChainHead.Of(record);
            yield return record;
        }
    }

    private IEnumerable<AuditRecord> ExportedRecords => _legacy.Where(r => r.TenantId == TenantA).Concat(_chainA);

    private async Task<string> ExportAsync(
        IEnumerable<AuditRecord>? records = null, IReadOnlyDictionary<string, string>? filter = null, DateTimeOffset? from = null,
        AuditSigner? signer = null)
    {
        signer ??= _signer;
        var checkpoints = new List<AuditCheckpoint>
        {
            signer.Sign(Origin, AuditTestChain.Start.AddHours(1)),
            signer.Sign(ChainA, AuditChainHead.Of(_chainA[5]), AuditTestChain.Start.AddHours(2)),
        };
        var header = new AuditExportHeader
        {
            ExportedAt = AuditTestChain.Start.AddDays(1),
            PublicKeyId = signer.KeyId,
            Filter = new Dictionary<string, string>(filter ?? new Dictionary<string, string>()) { ["scope"] = TenantA.ToString() },
        };
        var manifest = new AuditExportManifest
        {
            Chain = ChainA, Origin = Origin, RecordCount = 0, Filter = filter, From = from, KeyId = "", ExportedAt = header.ExportedAt,
        };
        var writer = new StringWriter();
        await AuditExportWriter.WriteAsync(writer, header, checkpoints, AuditTestChain.Async(records ?? ExportedRecords), manifest, signer);
        return writer.ToString();
    }

    private AuditExportVerification Verify(string text) => AuditExportVerifier.Verify(new StringReader(text), _keys);

    private static List<string> Lines(string text) => text.TrimEnd('\n').Split('\n').ToList();

    private static string Join(IEnumerable<string> lines) => string.Join('\n', lines) + "\n";

    private static int LineOf(List<string> lines, long sequence) =>
        lines.FindIndex(line => line.StartsWith($"{{\"type\":\"record\",\"sequence\":{sequence},", StringComparison.Ordinal));

    [Fact]
    public async Task IntactExport_VerifiesAsTheWholeChain()
    {
        var result = Verify(await ExportAsync());

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(AuditExportCoverage.WholeChain, result.Coverage);
        Assert.Equal(13, result.RecordCount);
        Assert.Equal(2, result.CheckpointsVerified);
        Assert.Contains($"the whole chain {ChainA}, complete and contiguous from its start after #6", result.Message);
    }

    [Fact]
    public async Task EditedRecord_IsNamed()
    {
        var lines = Lines(await ExportAsync());
        var at = LineOf(lines, 10);
        lines[at] = lines[at].Replace("\"actorIp\":\"203.0.113.9\"", "\"actorIp\":\"198.51.100.1\"", StringComparison.Ordinal);

        var result = Verify(Join(lines));

        Assert.False(result.IsValid);
        Assert.Equal(AuditProblem.HashMismatch, result.Problem);
        Assert.Equal(10, result.FirstBadSequence);
    }

    [Fact]
    public async Task DeletedRecord_IsNamedAtTheMissingNumber()
    {
        var lines = Lines(await ExportAsync());
        lines.RemoveAt(LineOf(lines, 12));

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.SequenceGap, result.Problem);
        Assert.Equal(12, result.FirstBadSequence);
    }

    [Fact]
    public async Task DeletedFirstRecordOfTheChain_IsNamed()
    {
        var lines = Lines(await ExportAsync());
        lines.RemoveAt(LineOf(lines, 7));

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.SequenceGap, result.Problem);
        Assert.Equal(7, result.FirstBadSequence);
    }

    [Fact]
    public async Task InsertedRecord_IsNamedAtTheForgedNumber()
    {
        var forged = AuditRecord.Seal(AuditChainHead.Of(_chainA[2]), Entry(999, TenantA));
        var records = ExportedRecords.ToList();
        records.Insert(records.IndexOf(_chainA[3]), forged);

        var result = Verify(await ExportAsync(records));

        Assert.Equal(AuditProblem.Inserted, result.Problem);
        Assert.Equal(10, result.FirstBadSequence);
    }

    [Fact]
    public async Task SwappedRecords_AreNamedAtTheLowerNumber()
    {
        var lines = Lines(await ExportAsync());
        var (eleven, twelve) = (LineOf(lines, 11), LineOf(lines, 12));
        (lines[eleven], lines[twelve]) = (lines[twelve], lines[eleven]);

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.Reordered, result.Problem);
        Assert.Equal(11, result.FirstBadSequence);
    }

    [Fact]
    public async Task RecordReplayedFromAnotherTenantsChain_IsNamed()
    {
        var lines = Lines(await ExportAsync());
        var foreign = Lines(await ExportAsync(_chainB));
        lines[LineOf(lines, 9)] = foreign[LineOf(foreign, 9)];

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.ForeignRecord, result.Problem);
        Assert.Equal(9, result.FirstBadSequence);
        Assert.Contains("replayed from another chain", result.Message);
    }

    [Fact]
    public async Task CutTail_WithTheManifestLeftAsItWas_IsNamedAfterTheLastRecordLeft()
    {
        var lines = Lines(await ExportAsync());
        lines.RemoveRange(LineOf(lines, 15), 3);

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.TailCut, result.Problem);
        Assert.Equal(15, result.FirstBadSequence);
        Assert.Contains("#17", result.Message);
    }

    [Fact]
    public async Task CutTail_WithTheManifestEditedToMatch_BreaksTheManifestSignature()
    {
        var lines = Lines(await ExportAsync());
        lines.RemoveRange(LineOf(lines, 15), 3);
        lines[^1] = lines[^1]
            .Replace("\"lastSequence\":17,\"records\":13,", "\"lastSequence\":14,\"records\":10,", StringComparison.Ordinal)
            .Replace(_chainA[^1].Hash, _chainA[7].Hash, StringComparison.Ordinal);

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.ManifestInvalid, result.Problem);
        Assert.Contains("manifest was edited", result.Message);
    }

    [Fact]
    public async Task MissingManifest_IsNamed()
    {
        var lines = Lines(await ExportAsync());
        lines.RemoveAt(lines.Count - 1);

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.ManifestMissing, result.Problem);
        Assert.Equal(18, result.FirstBadSequence);
    }

    [Fact]
    public async Task CutTailAndManifestRemoved_IsNamedAsAMissingManifest()
    {
        var lines = Lines(await ExportAsync());
        lines.RemoveRange(LineOf(lines, 15), 4);

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.ManifestMissing, result.Problem);
        Assert.Equal(15, result.FirstBadSequence);
    }

    [Fact]
    public async Task ManifestSignedByAnUnknownKey_IsRefused()
    {
        using var stranger = AuditSigner.Create();

        var result = Verify(await ExportAsync(signer: stranger));

        Assert.Equal(AuditProblem.ManifestUnknownKey, result.Problem);
        Assert.Contains(stranger.KeyId, result.Message);
    }

    [Fact]
    public async Task FilteredExport_VerifiesRecordByRecord_AndSaysCompletenessCannotBeClaimed()
    {
        var filter = new Dictionary<string, string> { ["action"] = "member.role_changed" };

        var result = Verify(await ExportAsync(ExportedRecords.Where(r => r.Action == "member.role_changed"), filter));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(AuditExportCoverage.Filtered, result.Coverage);
        Assert.Contains("completeness cannot be claimed", result.Message);
    }

    [Fact]
    public async Task FilteredExport_PresentedAsComplete_IsRefused()
    {
        var filter = new Dictionary<string, string> { ["action"] = "member.role_changed" };
        var lines = Lines(await ExportAsync(ExportedRecords.Where(r => r.Action == "member.role_changed"), filter));
        lines[0] = lines[0].Replace($"\"filter\":{{\"action\":\"member.role_changed\",\"scope\":\"{TenantA}\"}}", $"\"filter\":{{\"scope\":\"{TenantA}\"}}",
            StringComparison.Ordinal);

        var result = Verify(Join(lines));

        Assert.Equal(AuditProblem.FilterMisrepresented, result.Problem);
        Assert.Contains("presents it as the complete chain", result.Message);
    }

    [Fact]
    public async Task TimeRangeExport_IsVerifiedContiguousFromItsFirstRecord()
    {
        var from = _chainA[4].OccurredAt;
        var filter = new Dictionary<string, string> { ["from"] = from.ToString("O") };

        var result = Verify(await ExportAsync(_chainA.Skip(4), filter, from));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(AuditExportCoverage.TimeRange, result.Coverage);
    }

    [Fact]
    public async Task TimeRangeExport_WithARecordDropped_IsNamed()
    {
        var from = _chainA[4].OccurredAt;
        var filter = new Dictionary<string, string> { ["from"] = from.ToString("O") };

        var result = Verify(await ExportAsync(_chainA.Skip(4).Where(r => r.Sequence != 14), filter, from));

        Assert.Equal(AuditProblem.SequenceGap, result.Problem);
        Assert.Equal(14, result.FirstBadSequence);
    }

    [Fact]
    public async Task ExportMadeBeforeAKeyRotation_VerifiesWithTheKeyHistory()
    {
        using var next = AuditSigner.Create();
        var text = await ExportAsync();
        using var history = AuditKeyDocument.Read(AuditKeyDocument.Write(
        [
            new AuditKeyDocument.Entry(_signer.ExportPublicKeyPem(), AuditTestChain.Start, AuditTestChain.Start.AddDays(30), Current: false),
            new AuditKeyDocument.Entry(next.ExportPublicKeyPem(), AuditTestChain.Start.AddDays(30), null, Current: true),
        ]));
        using var onlyTheNewKey = AuditKeyRing.Of(next.CreateVerifier());

        var verified = AuditExportVerifier.Verify(new StringReader(text), history);
        var refused = AuditExportVerifier.Verify(new StringReader(text), onlyTheNewKey);

        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(AuditProblem.ManifestUnknownKey, refused.Problem);
    }

    [Fact]
    public async Task ExportMadeBeforeManifests_VerifiesButIsReportedAsUnsigned()
    {
        var lines = Lines(await ExportAsync(_legacy));
        lines[0] = lines[0].Replace("portal-audit-export/v2", "portal-audit-export/v1", StringComparison.Ordinal);
        lines = lines.Where(line => !line.StartsWith("{\"type\":\"checkpoint\"", StringComparison.Ordinal)).ToList();
        lines[^1] = "{\"type\":\"end\",\"records\":6}";

        var result = Verify(Join(lines));

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(AuditExportCoverage.Unsigned, result.Coverage);
        Assert.Contains("nothing proves it complete", result.Message);
    }

    [Fact]
    public void KeyDocument_ListsEveryKeyWithItsPeriod_AndReadsBackFromPemOrJwk()
    {
        using var next = AuditSigner.Create();
        var document = AuditKeyDocument.Write(
        [
            new AuditKeyDocument.Entry(_signer.ExportPublicKeyPem(), null, AuditTestChain.Start, Current: false),
            new AuditKeyDocument.Entry(next.ExportPublicKeyPem(), AuditTestChain.Start, null, Current: true),
        ]);
        var jwkOnly = System.Text.RegularExpressions.Regex.Replace(document, "\\s*\"pem\": \"[^\"]*\"", "").Replace(",\n    }", "\n    }");

        using var ring = AuditKeyDocument.Read(document);
        using var fromJwk = AuditKeyDocument.Read(jwkOnly);

        Assert.Equal(new[] { _signer.KeyId, next.KeyId }.Order(), ring.Keys.Select(k => k.Verifier.KeyId).Order());
        Assert.Equal(AuditTestChain.Start, ring.Keys.Single(k => k.Verifier.KeyId == _signer.KeyId).NotAfter);
        Assert.NotNull(fromJwk.Find(next.KeyId));
        Assert.DoesNotContain("\"pem\"", jwkOnly);
    }
}
