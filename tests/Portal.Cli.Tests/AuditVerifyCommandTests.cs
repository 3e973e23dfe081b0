using System.Text;
using Portal.Cli;
using Portal.Core.Audit;

namespace Portal.Cli.Tests;

public sealed class AuditVerifyCommandTests : IDisposable
{
    private static readonly DateTimeOffset _start = new(2025, 6, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly Guid Tenant = new("00000000-0000-0000-0000-000000000001");

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("portal-cli-tests-");
    private readonly AuditSigner _signer = AuditSigner.Create();
    private readonly string _exportPath;
    private readonly string _publicKeyPath;

    public AuditVerifyCommandTests()
    {
        _exportPath = Path.Combine(_directory.FullName, "audit-export.jsonl");
        _publicKeyPath = Path.Combine(_directory.FullName, "audit-public-key.pem");
        File.WriteAllText(_publicKeyPath, _signer.ExportPublicKeyPem());
    }

    public void Dispose()
    {
        _signer.Dispose();
        _directory.Delete(recursive: true);
    }

    private sealed record Run(int ExitCode, string Output, string Error);

    private static async Task<Run> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await PortalCommandLine.RunAsync(args, output, error);
        return new Run(exitCode, output.ToString(), error.ToString());
    }

    private Task<Run> VerifyAsync() => RunAsync("audit", "verify", _exportPath, "--public-key", _publicKeyPath);

    private static List<AuditRecord> Chain(int count)
    {
        var records = new List<AuditRecord>();
        var head = AuditChainHead.Genesis;
        for (var n = 1; n <= count; n++)
        {
            var record = AuditRecord.Seal(head, new AuditEntry
            {
                OccurredAt = _start.AddMinutes(n),
                TenantId = Tenant,
                ActorId = $"u-{n}",
                ActorName = $"Actor{n:D2}",
                ActorRoles = "TenantAdmin",
                ActorIp = "192.0.2.1",
                Action = "deployment.scaled",
                ResourceType = "deployment",
                ResourceId = $"d-{n}",
                Outcome = AuditOutcome.Success,
                Reason = "load",
                Details = $$$"""{"before":{"replicas":{{{n}}}},"after":{"replicas":{{{n + 1}}}}}""",
                CorrelationId = $"c-{n}",
            });
            records.Add(record);
            head = AuditChainHead.Of(record);
        }

        return records;
    }

    private async Task ExportAsync(int count, params int[] checkpointSequences)
    {
        var records = Chain(count);
        var chain = AuditChain.Of(Tenant);
        var checkpoints = checkpointSequences.Select(s => _signer.Sign(chain, AuditChainHead.Of(records[s - 1]), _start.AddHours(s)));
        var header = new AuditExportHeader { ExportedAt = _start.AddDays(1), PublicKeyId = _signer.KeyId };
        var manifest = new AuditExportManifest
        {
            Chain = chain, Origin = AuditChainHead.Genesis, RecordCount = 0, KeyId = "", ExportedAt = header.ExportedAt,
        };
        await using var writer = new StreamWriter(_exportPath, append: false, new UTF8Encoding(false));
        await AuditExportWriter.WriteAsync(writer, header, checkpoints, records.ToAsyncEnumerable(), manifest, _signer);
    }

    private void EditLine(Func<string, bool> which, Func<string, string> edit)
    {
        var lines = File.ReadAllText(_exportPath).Split('\n');
        var index = Array.FindIndex(lines, line => which(line));
        Assert.True(index >= 0, "no such line");
        var edited = edit(lines[index]);
        Assert.Equal(lines[index].Length, edited.Length);
        Assert.NotEqual(lines[index], edited);
        lines[index] = edited;
        File.WriteAllText(_exportPath, string.Join('\n', lines));
    }

    [Fact]
    public async Task Verify_IntactExport_ExitsZeroAndCountsRecordsAndCheckpoints()
    {
        await ExportAsync(12, 5, 10);

        var run = await VerifyAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith($"OK: 12 records, #1 to #12: the whole chain {Tenant}, complete and contiguous", run.Output);
        Assert.Contains("2 checkpoints valid", run.Output);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Verify_OneByteChangedInARecordField_ExitsOneNamingTheRecord()
    {
        await ExportAsync(12, 5, 10);
        EditLine(line => line.Contains("\"sequence\":7,", StringComparison.Ordinal) && line.Contains("\"type\":\"record\""),
            line => line.Replace("Actor07", "Actor08", StringComparison.Ordinal));

        var run = await VerifyAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED at record #7 (HashMismatch): record #7 was altered", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Verify_OneByteChangedInACheckpointSignature_ExitsOneNamingItsRecord()
    {
        await ExportAsync(12, 5, 10);
        EditLine(line => line.Contains("\"type\":\"checkpoint\"", StringComparison.Ordinal) && line.Contains("\"sequence\":10,", StringComparison.Ordinal), line =>
        {
            var at = line.IndexOf("\"signature\":\"", StringComparison.Ordinal) + "\"signature\":\"".Length + 20;
            return line[..at] + (line[at] == 'A' ? 'B' : 'A') + line[(at + 1)..];
        });

        var run = await VerifyAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED at record #10 (BadCheckpointSignature): the checkpoint for #10 has an invalid signature", run.Error);
    }

    [Fact]
    public async Task Verify_OneByteChangedWithoutChangingAValue_ExitsOneNamingTheRecord()
    {
        await ExportAsync(12, 5);
        EditLine(line => line.Contains("\"sequence\":3,", StringComparison.Ordinal) && line.Contains("\"type\":\"record\""),
            line => line.Replace("\"actorIp\":\"192", "\"actorIp\" \"192", StringComparison.Ordinal));

        var run = await VerifyAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("(FormatError): Line ", run.Error);
        Assert.Contains("record #2", run.Error);
    }

    [Fact]
    public async Task Verify_RecordLinesCutFromTheEnd_ExitsOneWithATailCut()
    {
        await ExportAsync(12, 5, 12);
        var lines = File.ReadAllLines(_exportPath);
        File.WriteAllLines(_exportPath, lines.Where(line => !line.Contains("\"sequence\":11,") && !line.Contains("\"type\":\"record\",\"sequence\":12,")));

        var run = await VerifyAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED at record #11 (TailCut): tail cut: records after #10 are missing", run.Error);
    }

    [Fact]
    public async Task Verify_FileEndingWithoutItsManifest_ExitsOne()
    {
        await ExportAsync(12, 5);
        var lines = File.ReadAllLines(_exportPath);
        File.WriteAllLines(_exportPath, lines[..^2]);

        var run = await VerifyAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAILED at record #12 (ManifestMissing): the signed manifest is missing: the file ends after record #11", run.Error);
    }

    [Fact]
    public async Task Verify_WithAnotherPortalsPublicKey_ExitsOne()
    {
        await ExportAsync(12, 5);
        using var other = AuditSigner.Create();
        File.WriteAllText(_publicKeyPath, other.ExportPublicKeyPem());

        var run = await VerifyAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"(ManifestUnknownKey): the manifest was signed with key {_signer.KeyId}, which is not among the audit keys ({other.KeyId})", run.Error);
    }

    [Fact]
    public async Task Verify_MissingExportFile_ExitsTwo()
    {
        var run = await RunAsync("audit", "verify", Path.Combine(_directory.FullName, "nope.jsonl"), "--public-key", _publicKeyPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("nope.jsonl", run.Error);
    }

    [Fact]
    public async Task Verify_WithoutPublicKeyOption_ExitsTwo()
    {
        await ExportAsync(3);

        var run = await RunAsync("audit", "verify", _exportPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--public-key", run.Error);
    }

    [Fact]
    public async Task Verify_PublicKeyFileWithoutAKey_ExitsTwo()
    {
        await ExportAsync(3);
        File.WriteAllText(_publicKeyPath, "not a key");

        var run = await VerifyAsync();

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("holds neither an audit key document nor an ECDSA P-256 public key", run.Error);
    }

    [Fact]
    public async Task VerifyHelp_ShowsAnExample()
    {
        var run = await RunAsync("audit", "verify", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("portal audit verify audit-export.jsonl --public-key audit-public-key.pem", run.Output);
        Assert.Contains("PEMFILE", run.Output);
    }

    [Fact]
    public async Task Verify_WithTheKeyDocument_AcceptsAnExportSignedBeforeARotation()
    {
        await ExportAsync(12, 5);
        using var next = AuditSigner.Create();
        var keysPath = Path.Combine(_directory.FullName, "audit-keys.json");
        File.WriteAllText(keysPath, AuditKeyDocument.Write(
        [
            new AuditKeyDocument.Entry(_signer.ExportPublicKeyPem(), null, _start.AddDays(2), Current: false),
            new AuditKeyDocument.Entry(next.ExportPublicKeyPem(), _start.AddDays(2), null, Current: true),
        ]));

        var run = await RunAsync("audit", "verify", _exportPath, "--keys", keysPath);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("OK: 12 records", run.Output);
    }

    [Fact]
    public async Task Verify_ExportMadeBeforeManifests_NeedsAllowUnsigned()
    {
        await ExportAsync(4);
        var lines = File.ReadAllLines(_exportPath);
        lines[0] = lines[0].Replace("portal-audit-export/v2", "portal-audit-export/v1", StringComparison.Ordinal);
        lines[^1] = "{\"type\":\"end\",\"records\":4}";
        File.WriteAllText(_exportPath, string.Join('\n', lines) + "\n");

        var refused = await VerifyAsync();
        var accepted = await RunAsync("audit", "verify", _exportPath, "--public-key", _publicKeyPath, "--allow-unsigned");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("--allow-unsigned", refused.Error);
        Assert.Equal(0, accepted.ExitCode);
        Assert.Contains("nothing proves it complete", accepted.Output);
    }

    [Fact]
    public async Task VerifyPackage_IntactExitsZero_AndAFileChangedAfterSigningExitsOne()
    {
        await ExportAsync(6, 3);
        var files = new Dictionary<string, byte[]>
        {
            [AuditEvidenceVerifier.AuditFile] = File.ReadAllBytes(_exportPath),
            ["sla.json"] = Encoding.UTF8.GetBytes("[]"),
        };
        var index = new AuditEvidenceIndex
        {
            TenantId = Tenant, From = _start, To = _start.AddDays(1), CreatedAt = _start.AddDays(2),
            Files = files.Select(f => AuditEvidenceFile.Of(f.Key, f.Value)).ToList(),
        }.SignedBy(_signer);
        files[AuditEvidenceIndex.FileName] = Encoding.UTF8.GetBytes(index.ToJson());
        var package = Path.Combine(_directory.FullName, "evidence.zip");
        WriteZip(package, files);

        var intact = await RunAsync("audit", "verify-package", package, "--public-key", _publicKeyPath);
        files["sla.json"] = Encoding.UTF8.GetBytes("[{}]");
        WriteZip(package, files);
        var changed = await RunAsync("audit", "verify-package", package, "--public-key", _publicKeyPath);

        Assert.True(intact.ExitCode == 0, intact.Error);
        Assert.StartsWith("OK: 2 files match the signed index", intact.Output);
        Assert.Equal(1, changed.ExitCode);
        Assert.Contains("FAILED: sla.json does not match its SHA-256 in the signed index", changed.Error);
    }

    private static void WriteZip(string path, Dictionary<string, byte[]> files)
    {
        File.Delete(path);
        using var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var (name, content) in files)
        {
            using var entry = zip.CreateEntry(name).Open();
            entry.Write(content);
        }
    }
}
