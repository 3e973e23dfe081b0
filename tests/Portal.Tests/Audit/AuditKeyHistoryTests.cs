using Microsoft.EntityFrameworkCore;
using Portal.Audit;
using Portal.Core.Audit;
using Portal.Tests.Support;

namespace Portal.Tests.Audit;

/// <summary>Key rotation by configuration: the current key signs, every key stays published, old exports still verify.</summary>
public sealed class AuditKeyHistoryTests
{
    private static readonly Guid Acme = new("aaaaaaaa-3333-4000-8000-000000000003");

    [Fact]
    public async Task ExportMadeBeforeARotation_StillVerifiesAfterIt_WithThePublishedKeys()
    {
        using var before = AuditSigner.Create();
        using var after = AuditSigner.Create();
        var rotation = DateTimeOffset.UtcNow;
        await using var first = await new AuditHarness(configure: o => o.Keys =
        [
            new AuditKeyOptions { PrivateKeyPem = before.ExportPrivateKeyPem(), NotAfter = rotation.AddDays(1) },
        ]).MigrateAsync();
        await first.AppendAsync("acme.before", Acme);
        await first.CheckpointAsync();
        var exported = await ExportAsync(first);

        await using var rotated = new AuditHarness(first.DatabasePath, configure: o => o.Keys =
        [
            new AuditKeyOptions { PublicKeyPem = before.ExportPublicKeyPem(), NotAfter = rotation.AddMinutes(-1) },
            new AuditKeyOptions { PrivateKeyPem = after.ExportPrivateKeyPem(), NotBefore = rotation.AddMinutes(-1) },
        ]);
        await rotated.AppendAsync("acme.after", Acme);
        await rotated.CheckpointAsync();
        var provider = rotated.Get<AuditKeyProvider>();
        using var published = AuditKeyDocument.Read(provider.KeyDocument());

        var old = AuditExportVerifier.Verify(new StringReader(exported), published);
        var current = AuditExportVerifier.Verify(new StringReader(await ExportAsync(rotated)), published);

        Assert.Equal(after.KeyId, provider.KeyId);
        Assert.Equal(new[] { before.KeyId, after.KeyId }.Order(), published.Keys.Select(k => k.Verifier.KeyId).Order());
        Assert.True(old.IsValid, old.Message);
        Assert.Equal(before.KeyId, old.Manifest!.KeyId);
        Assert.True(current.IsValid, current.Message);
        Assert.Equal(2, current.CheckpointsVerified);
        Assert.True((await rotated.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task KeyNearItsEnd_IsWarnedOnceADay_InThePlatformTrail()
    {
        using var key = AuditSigner.Create();
        await using var audit = await new AuditHarness(configure: o =>
        {
            o.Keys = [new AuditKeyOptions { PrivateKeyPem = key.ExportPrivateKeyPem(), NotAfter = DateTimeOffset.UtcNow.AddDays(5).AddHours(1) }];
            o.KeyExpiryWarningDays = 14;
        }).MigrateAsync();

        var first = await audit.InScopeAsync<AuditKeyExpiryJob, int?>(job => job.RunAsync());
        var second = await audit.InScopeAsync<AuditKeyExpiryJob, int?>(job => job.RunAsync());

        Assert.Equal(6, first);
        Assert.Equal(6, second);
        await using var db = await audit.CreateDbAsync();
        var warning = Assert.Single(await db.AuditRecords.Where(r => r.Action == AuditKeyExpiryJob.Action).ToListAsync());
        Assert.Equal((AuditChain.Platform, key.KeyId), (warning.Chain, warning.ResourceId));
    }

    [Fact]
    public async Task KeyFarFromItsEnd_IsNotWarned()
    {
        using var key = AuditSigner.Create();
        await using var audit = await new AuditHarness(configure: o =>
            o.Keys = [new AuditKeyOptions { PrivateKeyPem = key.ExportPrivateKeyPem(), NotAfter = DateTimeOffset.UtcNow.AddDays(90) }]).MigrateAsync();

        Assert.Null(await audit.InScopeAsync<AuditKeyExpiryJob, int?>(job => job.RunAsync()));
    }

    private static Task<string> ExportAsync(AuditHarness audit) => audit.InScopeAsync<AuditExporter, string>(async exporter =>
    {
        var writer = new StringWriter();
        await exporter.WriteJsonlAsync(writer, new AuditScope(Acme, "Acme"), new AuditFilter(), DateTimeOffset.UtcNow);
        return writer.ToString();
    });
}
