using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Core.Keys;

/// <summary>A freshly made key: the plaintext is shown once; only <see cref="Hash"/> and <see cref="DisplayPrefix"/> are stored.</summary>
public sealed record NewInferenceKey(string Plaintext, string Hash, string DisplayPrefix)
{
    // The plaintext must not end up in a log line through a record's generated ToString.
    public override string ToString() => DisplayPrefix;
}

/// <summary>A well-formed key presented by a caller, ready for a look-up by <see cref="Hash"/>.</summary>
public readonly record struct ParsedInferenceKey(string Hash, string DisplayPrefix);

/// <summary>
/// Inference keys: <c>pk_&lt;22 base62 random characters&gt;_&lt;6 base62 characters of the random part's CRC-32&gt;</c>.
/// 22 base62 characters carry 130.9 bits. The checksum lets the gateway refuse a mistyped or made-up key before
/// any storage look-up, and lets secret scanners recognise a real key without false positives.
/// </summary>
public static class InferenceKey
{
    public const string Prefix = "pk_";
    public const int RandomLength = 22;
    public const int ChecksumLength = Base62.UInt32Width;

    /// <summary>Total length: prefix, random part, separator, checksum.</summary>
    public const int Length = 3 + RandomLength + 1 + ChecksumLength;

    /// <summary>Random characters shown in the display prefix; 6 of 22 leaves 95 unknown bits.</summary>
    public const int DisplayRandomLength = 6;

    public static NewInferenceKey Generate()
    {
        Span<char> key = stackalloc char[Length];
        Prefix.AsSpan().CopyTo(key);
        var random = key.Slice(Prefix.Length, RandomLength);
        RandomNumberGenerator.GetItems(Base62.Alphabet.AsSpan(), random);
        key[Prefix.Length + RandomLength] = '_';
        Base62.WriteUInt32(Crc32.ComputeAscii(random), key[(Prefix.Length + RandomLength + 1)..]);
        var plaintext = new string(key);
        return new NewInferenceKey(plaintext, Hash(plaintext), DisplayPrefixOf(plaintext));
    }

    /// <summary>True when <paramref name="text"/> has the key's shape and its checksum matches. Touches no storage.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> text)
    {
        if (text.Length != Length || !text.StartsWith(Prefix, StringComparison.Ordinal) || text[Prefix.Length + RandomLength] != '_')
        {
            return false;
        }

        var random = text.Slice(Prefix.Length, RandomLength);
        foreach (var c in random)
        {
            if (!Base62.IsDigit(c))
            {
                return false;
            }
        }

        return Base62.TryReadUInt32(text[(Prefix.Length + RandomLength + 1)..], out var checksum)
            && checksum == Crc32.ComputeAscii(random);
    }

    /// <summary>Checks format and checksum; only a well-formed key yields the hash to look up.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out ParsedInferenceKey? key)
    {
        if (!IsWellFormed(text))
        {
            key = null;
            return false;
        }

        key = new ParsedInferenceKey(Hash(text), DisplayPrefixOf(text));
        return true;
    }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes: what storage keeps and looks keys up by.</summary>
    public static string Hash(ReadOnlySpan<char> plaintext)
    {
        var byteCount = Encoding.UTF8.GetByteCount(plaintext);
        var bytes = byteCount <= 256 ? stackalloc byte[byteCount] : new byte[byteCount];
        Encoding.UTF8.GetBytes(plaintext, bytes);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>What lists show to tell keys apart, e.g. <c>pk_AbC123…</c>.</summary>
    public static string DisplayPrefixOf(ReadOnlySpan<char> plaintext)
    {
        var shown = Math.Min(plaintext.Length, Prefix.Length + DisplayRandomLength);
        return string.Concat(plaintext[..shown], "…");
    }
}
