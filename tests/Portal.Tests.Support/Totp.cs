using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Portal.Tests.Support;

/// <summary>
/// What an authenticator app computes (RFC 6238: HMAC-SHA-1 over the count of 30-second steps since 1970, six digits),
/// written here from the RFC so the tests do not ask the portal's own code what the right code is.
/// </summary>
public static class Totp
{
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <param name="base32Key">The key as the portal shows it; spaces and case do not matter.</param>
    /// <param name="stepsFromNow">Another step's code: apps and Identity accept a neighbouring step's code for clock drift.</param>
    public static string Code(string base32Key, int stepsFromNow = 0) =>
        Code(Base32(base32Key), DateTimeOffset.UtcNow.ToUnixTimeSeconds() / (long)Step.TotalSeconds + stepsFromNow);

    public static string Code(byte[] key, long step)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var hash = HMACSHA1.HashData(key, counter);
        var offset = hash[^1] & 0x0f;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.ToUpperInvariant().Where(c => c is not (' ' or '=')))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                bytes.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }

        return bytes.ToArray();
    }
}
