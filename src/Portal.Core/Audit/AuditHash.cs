using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Audit;

/// <summary>The chain's hash: lower-case hex SHA-256 of UTF-8(previousHash ‖ canonical JSON).</summary>
public static class AuditHash
{
    /// <summary>The previous hash of record #1: 64 zeros.</summary>
    public static string Genesis { get; } = new('0', 64);

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Hashes <paramref name="record"/> as it would be sealed after <paramref name="previousHash"/>;
    /// <see cref="AuditRecord.Hash"/> is ignored, <see cref="AuditRecord.PreviousHash"/> is taken from the record.
    /// Usually <paramref name="previousHash"/> equals <c>record.PreviousHash</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A field holds text that is not valid UTF-16.</exception>
    public static string Compute(string previousHash, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(previousHash);
        var text = previousHash + AuditCanonicalJson.Serialize(record);
        byte[] bytes;
        try
        {
            bytes = _strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"Audit record #{record.Sequence} holds text that is not valid Unicode.", nameof(record), e);
        }

        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>True when <paramref name="value"/> is 64 lower-case hex digits.</summary>
    public static bool IsWellFormed(string? value) =>
        value is { Length: 64 } && value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    internal static void EnsureHash(string? value, string parameterName)
    {
        if (!IsWellFormed(value))
        {
            throw new ArgumentException("A hash is 64 lower-case hex digits.", parameterName);
        }
    }
}
