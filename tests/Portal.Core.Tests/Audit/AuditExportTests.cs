using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public sealed class AuditExportTests : IDisposable
{
    private readonly AuditSigner _signer = AuditSigner.Create();
    private readonly List<AuditRecord> _chain = AuditTestChain.Build(12);

    public void Dispose() => _signer.Dispose();

    private AuditExportHeader Header(IReadOnlyDictionary<string, string>? filter = null) => new()
    {
        ExportedAt = AuditTestChain.Start.AddDays(1),
        Filter = filter,
        PublicKeyId = _signer.KeyId,
    };

    private Task<string> ExportAsync(IEnumerable<AuditRecord> records, IReadOnlyDictionary<string, string>? filter = null, params long[] checkpoints) =>
        ExportAsync(records, filter, AuditTestChain.Checkpoints(_signer, _chain, checkpoints));

    private async Task<string> ExportAsync(IEnumerable<AuditRecord> records, IReadOnlyDictionary<string, string>? filter, IReadOnlyList<AuditCheckpoint> checkpoints)
    {
        var writer = new StringWriter();
        var manifest = new AuditExportManifest
        {
            Chain = AuditChain.Platform, Origin = AuditChainHead.Genesis, RecordCount = 0, Filter = filter, KeyId = "",
            ExportedAt = AuditTestChain.Start.AddDays(1),
        };
        await AuditExportWriter.WriteAsync(writer, Header(filter), checkpoints, AuditTestChain.Async(records), manifest, _signer);
        return writer.ToString();
    }

    [Fact]
    public async Task Export_WritesHeaderCheckpointsRecordsAndSignedManifestInThatOrder()
    {
        var text = await ExportAsync(_chain.Take(3), null, 2);
        var lines = text.Split('\n');

        Assert.Equal($$"""{"type":"header","format":"portal-audit-export/v2","exportedAt":"2025-06-02T09:30:00.123Z","filter":null,"publicKeyId":"{{_signer.KeyId}}"}""", lines[0]);
        Assert.StartsWith("""{"type":"checkpoint","chain":"legacy","sequence":2,"hash":""", lines[1]);
        Assert.Equal("{\"type\":\"record\"," + AuditCanonicalJson.Serialize(_chain[0])[1..^1] + $",\"hash\":\"{_chain[0].Hash}\"}}", lines[2]);
        Assert.StartsWith($$"""{"type":"manifest","chain":"platform","originSequence":0,"originHash":"{{AuditHash.Genesis}}","firstSequence":1,"lastSequence":3,"records":3,"lastHash":"{{_chain[2].Hash}}","filter":null,"from":null,"to":null,"keyId":"{{_signer.KeyId}}","exportedAt":"2025-06-02T09:30:00.123Z","signature":""", lines[5]);
        Assert.Equal("", lines[6]);
        Assert.Equal(7, lines.Length);
    }

    [Fact]
    public async Task ExportThenRead_GivesBackTheSameHeaderCheckpointsAndRecords()
    {
        var filter = new Dictionary<string, string> { ["tenantId"] = "t-1", ["action"] = "member.*" };
        var checkpoints = AuditTestChain.Checkpoints(_signer, _chain, 10, 5);
        var text = await ExportAsync(_chain, filter, checkpoints);

        var reader = AuditExportReader.Open(new StringReader(text));
        var records = reader.ReadRecords().ToList();

        Assert.Equal(_chain, records);
        Assert.Equal(checkpoints.OrderBy(c => c.Sequence), reader.Checkpoints);
        Assert.Equal(Header().ExportedAt, reader.Header.ExportedAt);
        Assert.Equal(filter, reader.Header.Filter);
        Assert.False(reader.Header.IsWholeChain);
        Assert.Equal(12, reader.Manifest?.RecordCount);
        Assert.Equal(12, reader.RecordCount);
    }

    [Fact]
    public async Task WholeChainExport_VerifiesWithItsCheckpoints()
    {
        var reader = AuditExportReader.Open(new StringReader(await ExportAsync(_chain, null, 5, 10)));
        using var verifier = _signer.CreateVerifier();

        var result = AuditChainVerifier.Verify(reader.ReadRecords(), reader.Checkpoints, verifier, contiguous: reader.Header.IsWholeChain);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(2, result.CheckpointsVerified);
    }

    [Fact]
    public async Task FilteredExport_VerifiesRecordByRecord()
    {
        var filter = new Dictionary<string, string> { ["action"] = "member.role_changed" };
        var subset = _chain.Where(r => r.Action == "member.role_changed");
        var reader = AuditExportReader.Open(new StringReader(await ExportAsync(subset, filter, 10)));
        using var verifier = _signer.CreateVerifier();

        var result = AuditChainVerifier.Verify(reader.ReadRecords(), reader.Checkpoints, verifier, contiguous: reader.Header.IsWholeChain);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal(6, result.RecordsVerified);
        Assert.Equal(1, result.CheckpointsVerified);
    }

    [Fact]
    public async Task RecordLineEditedWithoutChangingItsValue_IsRefusedNamingTheRecord()
    {
        var text = (await ExportAsync(_chain)).Replace("\"actorId\":\"u-3\"", "\"actorId\":\"u\\u002d3\"", StringComparison.Ordinal);

        var reader = AuditExportReader.Open(new StringReader(text));
        var error = Assert.Throws<AuditExportFormatException>(() => reader.ReadRecords().ToList());

        Assert.Equal(3, error.Sequence);
        Assert.Equal(4, error.LineNumber);
        Assert.Contains("record #3 is not in the form the portal writes", error.Message);
    }

    [Fact]
    public async Task LineThatIsNoLongerJson_IsRefusedNamingThePreviousRecord()
    {
        var lines = (await ExportAsync(_chain)).Split('\n');
        lines[5] = lines[5][..^1];

        var reader = AuditExportReader.Open(new StringReader(string.Join('\n', lines)));
        var error = Assert.Throws<AuditExportFormatException>(() => reader.ReadRecords().ToList());

        Assert.Equal(6, error.LineNumber);
        Assert.Equal(4, error.Sequence);
    }

    [Fact]
    public async Task TruncatedFile_HasNoManifestAndItsCheckpointsShowTheCutTail()
    {
        var text = await ExportAsync(_chain, null, 12);
        var truncated = text[..text.IndexOf("{\"type\":\"record\",\"sequence\":9,", StringComparison.Ordinal)];

        var reader = AuditExportReader.Open(new StringReader(truncated));
        var result = AuditChainVerifier.Verify(reader.ReadRecords(), reader.Checkpoints);

        Assert.Null(reader.Manifest);
        Assert.Equal(AuditProblem.TailCut, result.Problem);
        Assert.Equal(9, result.FirstBadSequence);
    }

    [Fact]
    public void Open_UnknownFormat_IsRefused()
    {
        var header = """{"type":"header","format":"something-else/v9","exportedAt":"2025-06-02T09:30:00.123Z","filter":null,"publicKeyId":null}""";

        Assert.Throws<AuditExportFormatException>(() => AuditExportReader.Open(new StringReader(header + "\n")));
    }

    [Fact]
    public async Task CsvExport_QuotesPerRfc4180AndDefusesFormulas()
    {
        var record = _chain[1] with { ActorName = "=HYPERLINK(\"x\")", Reason = "line one\nline \"two\", end" };
        var writer = new StringWriter();

        var count = await AuditCsvWriter.WriteAsync(writer, AuditTestChain.Async([_chain[0], record]));

        var text = writer.ToString();
        Assert.Equal(2, count);
        Assert.StartsWith("sequence,occurredAt,tenantId,actorId,actorName,actorRoles,actorIp,action,resourceType,resourceId,outcome,reason,details,correlationId,previousHash,hash\r\n", text);
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\")\",", text);
        Assert.Contains(",\"line one\nline \"\"two\"\", end\",", text);
        Assert.EndsWith($",{record.Hash}\r\n", text);
        Assert.Equal(3, text.Split("\r\n").Length - 1);
    }
}
