using System.Globalization;
using System.Text;

namespace Portal.Core.Audit;

/// <summary>
/// The few JSON writing rules the chain relies on, written out by hand so that the hashed bytes never depend on a
/// serializer's defaults or on the runtime version.
/// </summary>
internal static class JsonText
{
    public static StringBuilder Property(this StringBuilder builder, string name, string? value, bool first = false)
    {
        builder.Name(name, first);
        return value is null ? builder.Append("null") : builder.String(value);
    }

    public static StringBuilder Property(this StringBuilder builder, string name, long value, bool first = false) =>
        builder.Name(name, first).Append(value.ToString(CultureInfo.InvariantCulture));

    public static StringBuilder Name(this StringBuilder builder, string name, bool first = false)
    {
        if (!first)
        {
            builder.Append(',');
        }

        return builder.String(name).Append(':');
    }

    /// <summary>
    /// A JSON string: <c>"</c> and <c>\</c> are escaped with a backslash; U+0008, U+0009, U+000A, U+000C, U+000D as
    /// <c>\b \t \n \f \r</c>; other characters below U+0020 as <c>\u00xx</c> (lower-case hex); everything else,
    /// including non-ASCII, is written as itself.
    /// </summary>
    public static StringBuilder String(this StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\t': builder.Append("\\t"); break;
                case '\n': builder.Append("\\n"); break;
                case '\f': builder.Append("\\f"); break;
                case '\r': builder.Append("\\r"); break;
                case < ' ': builder.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        return builder.Append('"');
    }
}
