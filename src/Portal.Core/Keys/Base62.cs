namespace Portal.Core.Keys;

/// <summary>The alphabet <c>0-9A-Za-z</c>: URL-safe, no punctuation, double-click selects the whole key.</summary>
public static class Base62
{
    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>Characters needed for any 32-bit value: 62^6 &gt; 2^32.</summary>
    public const int UInt32Width = 6;

    public static bool IsDigit(char c) => c is >= '0' and <= '9' or >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    /// <summary>Writes <paramref name="value"/> as exactly <see cref="UInt32Width"/> digits, most significant first.</summary>
    public static void WriteUInt32(uint value, Span<char> destination)
    {
        if (destination.Length < UInt32Width)
        {
            throw new ArgumentException($"Needs {UInt32Width} characters.", nameof(destination));
        }

        for (var i = UInt32Width - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }
    }

    /// <summary>Reads exactly <see cref="UInt32Width"/> digits; false for a bad digit or a value above 2^32 − 1.</summary>
    public static bool TryReadUInt32(ReadOnlySpan<char> digits, out uint value)
    {
        value = 0;
        if (digits.Length != UInt32Width)
        {
            return false;
        }

        ulong total = 0;
        foreach (var c in digits)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'A' and <= 'Z' => c - 'A' + 10,
                >= 'a' and <= 'z' => c - 'a' + 36,
                _ => -1,
            };
            if (digit < 0)
            {
                return false;
            }

            total = total * 62 + (ulong)digit;
        }

        if (total > uint.MaxValue)
        {
            return false;
        }

        value = (uint)total;
        return true;
    }
}
