using System.Security.Cryptography;
using System.Text;
using Portal.Core.Audit;

namespace Portal.Core.Tests.Audit;

public class AuditSignerTests
{
    private static readonly AuditChainHead _head = new(10, string.Concat(Enumerable.Repeat("0123456789abcdef", 4)));

    [Fact]
    public void Sign_ThenVerifyWithThePublicKeyPem_Succeeds()
    {
        using var signer = AuditSigner.Create();
        using var verifier = AuditCheckpointVerifier.FromPem(signer.ExportPublicKeyPem());

        var checkpoint = signer.Sign(_head, AuditTestChain.Start);

        Assert.True(verifier.Verify(checkpoint));
        Assert.Equal(signer.KeyId, checkpoint.KeyId);
        Assert.Equal(10, checkpoint.Sequence);
    }

    [Fact]
    public void Signature_IsDerOverTheDocumentedPayload()
    {
        using var signer = AuditSigner.Create();
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(signer.ExportPublicKeyPem());
        var checkpoint = signer.Sign(_head, new DateTimeOffset(2025, 6, 1, 11, 0, 0, 5, TimeSpan.FromHours(2)));
        var payload = $"portal-audit-checkpoint:v1\n10\n{_head.Hash}\n2025-06-01T09:00:00.005Z";

        var signature = Convert.FromBase64String(checkpoint.Signature);

        Assert.Equal(0x30, signature[0]);
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(payload), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
    }

    [Fact]
    public void KeyId_IsTheFirst16HexDigitsOfTheSha256OfTheSubjectPublicKeyInfo()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var expected = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
        var pem = key.ExportPkcs8PrivateKeyPem();

        using var signer = AuditSigner.FromPem(pem);

        Assert.Equal(expected, signer.KeyId);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", signer.ExportPublicKeyPem());
    }

    [Fact]
    public void FromPem_PrivateKeyExportedEarlier_SignsVerifiablyUnderTheSameKeyId()
    {
        using var original = AuditSigner.Create();
        using var reloaded = AuditSigner.FromPem(original.ExportPrivateKeyPem());
        using var verifier = original.CreateVerifier();

        Assert.Equal(original.KeyId, reloaded.KeyId);
        Assert.True(verifier.Verify(reloaded.Sign(_head, AuditTestChain.Start)));
    }

    [Fact]
    public void Verify_AnyChangedField_Fails()
    {
        using var signer = AuditSigner.Create();
        using var verifier = signer.CreateVerifier();
        var checkpoint = signer.Sign(_head, AuditTestChain.Start);

        Assert.False(verifier.Verify(checkpoint with { Sequence = 11 }));
        Assert.False(verifier.Verify(checkpoint with { Hash = new string('f', 64) }));
        Assert.False(verifier.Verify(checkpoint with { SignedAt = checkpoint.SignedAt.AddMilliseconds(1) }));
        Assert.False(verifier.Verify(checkpoint with { KeyId = "0000000000000000" }));
        Assert.False(verifier.Verify(checkpoint with { Signature = "not base64!" }));
    }

    [Fact]
    public void Verify_SignatureByAnotherKeyClaimingOurKeyId_Fails()
    {
        using var signer = AuditSigner.Create();
        using var forger = AuditSigner.Create();
        using var verifier = signer.CreateVerifier();

        var forged = forger.Sign(_head, AuditTestChain.Start) with { KeyId = signer.KeyId };

        Assert.False(verifier.Verify(forged));
    }

    [Fact]
    public void Verify_NonCanonicalBase64ForTheSameBytes_Fails()
    {
        using var signer = AuditSigner.Create();
        using var verifier = signer.CreateVerifier();
        var checkpoint = signer.Sign(_head, AuditTestChain.Start);

        Assert.False(verifier.Verify(checkpoint with { Signature = " " + checkpoint.Signature }));
    }

    [Fact]
    public void Constructor_KeyOnAnotherCurve_IsRefused() =>
        Assert.Throws<ArgumentException>(() => new AuditSigner(ECDsa.Create(ECCurve.NamedCurves.nistP384)));

    [Fact]
    public void FromPem_TextWithoutAKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => AuditCheckpointVerifier.FromPem("hello"));
}
