using System.Globalization;
using System.Text;

namespace Portal.Core.Audit;

/// <summary>
/// A signed statement that record <see cref="Sequence"/> of the chain had hash <see cref="Hash"/> at
/// <see cref="SignedAt"/>. Made by <see cref="AuditSigner"/>, checked by <see cref="AuditCheckpointVerifier"/>.
/// </summary>
/// <remarks>
/// <see cref="Signature"/> is base64 (standard alphabet, padded) of an ECDSA P-256 / SHA-256 signature in DER form
/// (RFC 3279 <c>Ecdsa-Sig-Value</c>, what OpenSSL produces and checks) over the UTF-8 bytes of
/// <see cref="SigningPayload"/>. An auditor can check one without the portal:
/// <c>openssl dgst -sha256 -verify audit-public.pem -signature sig.der payload.txt</c>.
/// </remarks>
public sealed record AuditCheckpoint
{
    /// <summary>
    /// The chain whose record it covers (<see cref="AuditChain"/>). Checkpoints of the legacy segment were signed
    /// before chains had names and keep their version 1 payload.
    /// </summary>
    public string Chain { get; init; } = AuditChain.Legacy;

    public required long Sequence { get; init; }

    public required string Hash { get; init; }

    /// <summary>UTC, whole milliseconds.</summary>
    public required DateTimeOffset SignedAt { get; init; }

    public required string Signature { get; init; }

    /// <summary>See <see cref="AuditSigner.KeyId"/>.</summary>
    public required string KeyId { get; init; }

    /// <summary>
    /// The signed text, lines separated by a single <c>\n</c> and no final newline: <c>portal-audit-checkpoint:v2</c>,
    /// the chain's name, the sequence number (invariant decimal), the hash (64 lower-case hex), and the time as
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>. A checkpoint of the legacy segment signs version 1, which has no chain line:
    /// a checkpoint of one chain cannot be presented as one of another.
    /// </summary>
    public static string SigningPayload(string chain, long sequence, string hash, DateTimeOffset signedAt) => chain == AuditChain.Legacy
        ? string.Create(CultureInfo.InvariantCulture, $"portal-audit-checkpoint:v1\n{sequence}\n{hash}\n{AuditTime.Format(signedAt)}")
        : string.Create(CultureInfo.InvariantCulture, $"portal-audit-checkpoint:v2\n{chain}\n{sequence}\n{hash}\n{AuditTime.Format(signedAt)}");

    internal byte[] PayloadBytes() => Encoding.UTF8.GetBytes(SigningPayload(Chain, Sequence, Hash, SignedAt));
}
