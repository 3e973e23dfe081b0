using System.Text;
using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public sealed class AuditEvidenceVerifierTests : IDisposable
{
    private static readonly Guid Tenant = new("aaaaaaaa-0000-0000-0000-0000000000aa");

    private readonly AuditSigner _signer = AuditSigner.Create();
    private readonly AuditKeyRing _keys;

    public AuditEvidenceVerifierTests() => _keys = AuditKeyRing.Of(_signer.CreateVerifier());

    public void Dispose()
    {
        _keys.Dispose();
        _signer.Dispose();
    }

    private async Task<Dictionary<string, byte[]>> PackageAsync()
    {
        var records = new List<AuditRecord>();
        var head = AuditChainHead.Genesis;
        for (var n = 1; n <= 5; n++)
        {
            var record = AuditRecord.Seal(head, AuditTestChain.Entry(n) with { TenantId = Tenant });
            records.Add(record);
            head = AuditChainHead.Of(record);
        }

        var writer = new StringWriter();
        await AuditExportWriter.WriteAsync(writer, new AuditExportHeader { ExportedAt = AuditTestChain.Start.AddDays(1) }, [],
            AuditTestChain.Async(records), new AuditExportManifest
            {
                Chain = AuditChain.Of(Tenant), Origin = AuditChainHead.Genesis, RecordCount = 0, KeyId = "", ExportedAt = AuditTestChain.Start.AddDays(1),
            }, _signer);
        var files = new Dictionary<string, byte[]>
        {
            [AuditEvidenceVerifier.AuditFile] = Encoding.UTF8.GetBytes(writer.ToString()),
            ["access-review.json"] = Encoding.UTF8.GetBytes("""{"members":[{"name":"Ada","role":"Auditor"}]}"""),
        };
        var index = new AuditEvidenceIndex
        {
            TenantId = Tenant, From = AuditTestChain.Start, To = AuditTestChain.Start.AddDays(30), CreatedAt = AuditTestChain.Start.AddDays(31),
            Files = files.Select(f => AuditEvidenceFile.Of(f.Key, f.Value)).ToList(),
        }.SignedBy(_signer);
        files[AuditEvidenceIndex.FileName] = Encoding.UTF8.GetBytes(index.ToJson());
        return files;
    }

    [Fact]
    public async Task IntactPackage_Verifies()
    {
        var result = AuditEvidenceVerifier.Verify(await PackageAsync(), _keys);

        Assert.True(result.IsValid, result.Message);
        Assert.True(result.Audit!.IsValid);
    }

    [Fact]
    public async Task FileThatNoLongerMatchesItsHash_IsNamed()
    {
        var files = await PackageAsync();
        files["access-review.json"] = Encoding.UTF8.GetBytes("""{"members":[{"name":"Ada","role":"TenantAdmin"}]}""");

        var result = AuditEvidenceVerifier.Verify(files, _keys);

        Assert.False(result.IsValid);
        Assert.Equal("access-review.json does not match its SHA-256 in the signed index: it was changed", result.Message);
    }

    [Fact]
    public async Task IndexEditedToMatchAChangedFile_BreaksItsSignature()
    {
        var files = await PackageAsync();
        files["access-review.json"] = Encoding.UTF8.GetBytes("{}");
        var index = AuditEvidenceIndex.Parse(Encoding.UTF8.GetString(files[AuditEvidenceIndex.FileName]));
        var edited = index with { Files = index.Files.Select(f => f.Name == "access-review.json" ? AuditEvidenceFile.Of(f.Name, files[f.Name]) : f).ToList() };
        files[AuditEvidenceIndex.FileName] = Encoding.UTF8.GetBytes(edited.ToJson());

        var result = AuditEvidenceVerifier.Verify(files, _keys);

        Assert.Contains("the index was edited", result.Message);
    }

    [Fact]
    public async Task MissingOrAddedFile_IsNamed()
    {
        var missing = await PackageAsync();
        missing.Remove("access-review.json");
        var added = await PackageAsync();
        added["notes.txt"] = [1, 2, 3];

        Assert.Equal("access-review.json is missing from the package", AuditEvidenceVerifier.Verify(missing, _keys).Message);
        Assert.Equal("notes.txt is not listed in the signed index: it was added", AuditEvidenceVerifier.Verify(added, _keys).Message);
    }

    [Fact]
    public async Task PackageSignedByAnUnknownKey_IsRefused()
    {
        using var stranger = AuditSigner.Create();
        using var strangers = AuditKeyRing.Of(stranger.CreateVerifier());

        var result = AuditEvidenceVerifier.Verify(await PackageAsync(), strangers);

        Assert.False(result.IsValid);
        Assert.Contains("not among the audit keys", result.Message);
    }
}
