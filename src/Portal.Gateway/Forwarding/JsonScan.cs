using System.Buffers.Text;

namespace Portal.Gateway.Forwarding;

/// <summary>
/// Cheap searches in JSON text that never parse it: find a property's value by its quoted name. Safe inside string
/// values, because a quote inside a JSON string is always escaped (<c>\"</c>) and so never matches a quoted name.
/// </summary>
internal static class JsonScan
{
    /// <summary>The text right after <c>"name":</c> (spaces skipped) of the first property called <paramref name="quotedName"/>.</summary>
    public static bool TryFindValue(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedName, out ReadOnlySpan<byte> value)
    {
        var offset = 0;
        while (true)
        {
            var found = json[offset..].IndexOf(quotedName);
            if (found < 0)
            {
                value = default;
                return false;
            }

            var after = offset + found + quotedName.Length;
            var rest = TrimStart(json[after..]);
            if (!rest.IsEmpty && rest[0] == (byte)':')
            {
                value = TrimStart(rest[1..]);
                return true;
            }

            offset = after;
        }
    }

    /// <summary>True when the property's value is a string with at least one character.</summary>
    public static bool HasNonEmptyString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedName) =>
        TryFindValue(json, quotedName, out var value) && value.Length >= 2 && value[0] == (byte)'"' && value[1] != (byte)'"';

    public static bool TryReadInt32(ReadOnlySpan<byte> json, ReadOnlySpan<byte> quotedName, out int number)
    {
        number = 0;
        return TryFindValue(json, quotedName, out var value) && Utf8Parser.TryParse(value, out number, out _);
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return text[i..];
    }
}
